from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_generation_request import CreateGenerationRequest
from ...models.error import Error
from ...models.generation import Generation
from ...types import UNSET, Response, Unset, status_code_of


def _get_kwargs(
    *,
    body: CreateGenerationRequest,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-Id"] = x_request_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/generations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Generation | None:
    if response.status_code == 201:
        response_201 = Generation.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = Error.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

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
    *,
    client: AuthenticatedClient | Client,
    body: CreateGenerationRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[Error | Generation]:
    """Create a generation

     Queues a generation: an image (`type: image`), an image edit (`image_edit`), a video (`video`, model
    `ray-3.2`), a video edit or reframe (`video_edit`, `video_reframe`) or a layer split (`layering`);
    the
    edits and the split need `source`. Returns at once with state `queued`; poll `getGeneration` with
    the
    returned `id`.
    There is no idempotency key: a retried request may create and bill a second generation.

    Args:
        x_request_id (str | Unset):
        body (CreateGenerationRequest): Only `prompt` is required; a field left out is decided by
            the server. The server's defaults are given as
            `x-server-default` rather than `default`, so that generated clients do not send values the
            user did not choose.
            Every request rule is listed in `x-rules` (each with its status and exact `detail`;
            `{placeholders}` are
            filled from this spec or the request): those JSON Schema can state are stated by the
            schema below (nodes
            marked `x-rule: <id>`), the others are the mock's code (src/luma_uni_mock/rules.py, under
            the same id), and
            the API's own wording of some plain schema errors too. Every one has an error example of
            the same name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Generation]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateGenerationRequest,
    x_request_id: str | Unset = UNSET,
) -> Error | Generation | None:
    """Create a generation

     Queues a generation: an image (`type: image`), an image edit (`image_edit`), a video (`video`, model
    `ray-3.2`), a video edit or reframe (`video_edit`, `video_reframe`) or a layer split (`layering`);
    the
    edits and the split need `source`. Returns at once with state `queued`; poll `getGeneration` with
    the
    returned `id`.
    There is no idempotency key: a retried request may create and bill a second generation.

    Args:
        x_request_id (str | Unset):
        body (CreateGenerationRequest): Only `prompt` is required; a field left out is decided by
            the server. The server's defaults are given as
            `x-server-default` rather than `default`, so that generated clients do not send values the
            user did not choose.
            Every request rule is listed in `x-rules` (each with its status and exact `detail`;
            `{placeholders}` are
            filled from this spec or the request): those JSON Schema can state are stated by the
            schema below (nodes
            marked `x-rule: <id>`), the others are the mock's code (src/luma_uni_mock/rules.py, under
            the same id), and
            the API's own wording of some plain schema errors too. Every one has an error example of
            the same name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Generation
    """

    return sync_detailed(
        client=client,
        body=body,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateGenerationRequest,
    x_request_id: str | Unset = UNSET,
) -> Response[Error | Generation]:
    """Create a generation

     Queues a generation: an image (`type: image`), an image edit (`image_edit`), a video (`video`, model
    `ray-3.2`), a video edit or reframe (`video_edit`, `video_reframe`) or a layer split (`layering`);
    the
    edits and the split need `source`. Returns at once with state `queued`; poll `getGeneration` with
    the
    returned `id`.
    There is no idempotency key: a retried request may create and bill a second generation.

    Args:
        x_request_id (str | Unset):
        body (CreateGenerationRequest): Only `prompt` is required; a field left out is decided by
            the server. The server's defaults are given as
            `x-server-default` rather than `default`, so that generated clients do not send values the
            user did not choose.
            Every request rule is listed in `x-rules` (each with its status and exact `detail`;
            `{placeholders}` are
            filled from this spec or the request): those JSON Schema can state are stated by the
            schema below (nodes
            marked `x-rule: <id>`), the others are the mock's code (src/luma_uni_mock/rules.py, under
            the same id), and
            the API's own wording of some plain schema errors too. Every one has an error example of
            the same name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Generation]
    """

    kwargs = _get_kwargs(
        body=body,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateGenerationRequest,
    x_request_id: str | Unset = UNSET,
) -> Error | Generation | None:
    """Create a generation

     Queues a generation: an image (`type: image`), an image edit (`image_edit`), a video (`video`, model
    `ray-3.2`), a video edit or reframe (`video_edit`, `video_reframe`) or a layer split (`layering`);
    the
    edits and the split need `source`. Returns at once with state `queued`; poll `getGeneration` with
    the
    returned `id`.
    There is no idempotency key: a retried request may create and bill a second generation.

    Args:
        x_request_id (str | Unset):
        body (CreateGenerationRequest): Only `prompt` is required; a field left out is decided by
            the server. The server's defaults are given as
            `x-server-default` rather than `default`, so that generated clients do not send values the
            user did not choose.
            Every request rule is listed in `x-rules` (each with its status and exact `detail`;
            `{placeholders}` are
            filled from this spec or the request): those JSON Schema can state are stated by the
            schema below (nodes
            marked `x-rule: <id>`), the others are the mock's code (src/luma_uni_mock/rules.py, under
            the same id), and
            the API's own wording of some plain schema errors too. Every one has an error example of
            the same name.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Generation
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_request_id=x_request_id,
        )
    ).parsed
