from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.generation import Generation
from ...types import Response, status_code_of


def _get_kwargs(
    generation_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/generations/{generation_id}".format(
            generation_id=quote(str(generation_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Generation | None:
    if response.status_code == 200:
        response_200 = Generation.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = Error.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Generation]:
    try:
        parsed = _parse_response(client=client, response=response)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # Not JSON, or JSON of the wrong shape: a typed error that keeps the status and raw body.
        raise errors.MalformedResponse(response.status_code, response.content, f"{type(exc).__name__}: {exc}") from exc
    return Response(
        status_code=status_code_of(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    generation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | Generation]:
    """Get a generation

     Returns the generation's current state. Poll until `completed` or `failed`; every call mints fresh
    presigned output URLs valid for one hour. GETs do not count against the per-minute limit.
    An `X-Request-Id` request header is echoed here as on POST; it is deliberately not declared as a
    parameter of this operation, so that the only parameter is the one the 201's link supplies and
    schemathesis' "created resource is available" check can judge every GET that follows a POST.

    Args:
        generation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Generation]
    """

    kwargs = _get_kwargs(
        generation_id=generation_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    generation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Error | Generation | None:
    """Get a generation

     Returns the generation's current state. Poll until `completed` or `failed`; every call mints fresh
    presigned output URLs valid for one hour. GETs do not count against the per-minute limit.
    An `X-Request-Id` request header is echoed here as on POST; it is deliberately not declared as a
    parameter of this operation, so that the only parameter is the one the 201's link supplies and
    schemathesis' "created resource is available" check can judge every GET that follows a POST.

    Args:
        generation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Generation
    """

    return sync_detailed(
        generation_id=generation_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    generation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | Generation]:
    """Get a generation

     Returns the generation's current state. Poll until `completed` or `failed`; every call mints fresh
    presigned output URLs valid for one hour. GETs do not count against the per-minute limit.
    An `X-Request-Id` request header is echoed here as on POST; it is deliberately not declared as a
    parameter of this operation, so that the only parameter is the one the 201's link supplies and
    schemathesis' "created resource is available" check can judge every GET that follows a POST.

    Args:
        generation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Generation]
    """

    kwargs = _get_kwargs(
        generation_id=generation_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    generation_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Error | Generation | None:
    """Get a generation

     Returns the generation's current state. Poll until `completed` or `failed`; every call mints fresh
    presigned output URLs valid for one hour. GETs do not count against the per-minute limit.
    An `X-Request-Id` request header is echoed here as on POST; it is deliberately not declared as a
    parameter of this operation, so that the only parameter is the one the 201's link supplies and
    schemathesis' "created resource is available" check can judge every GET that follows a POST.

    Args:
        generation_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Generation
    """

    return (
        await asyncio_detailed(
            generation_id=generation_id,
            client=client,
        )
    ).parsed
