"""A client library for accessing Luma Agents API — generations (images, videos, layers)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
