"""Repository-wide pytest setup: the mock's fixtures (luma_mock, luma_mock_factory) for every test directory."""

pytest_plugins = ["conformance.mock.pytest_plugin"]
