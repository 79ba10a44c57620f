"""A client library for accessing Luma Agents API — uni-1 image generations"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
