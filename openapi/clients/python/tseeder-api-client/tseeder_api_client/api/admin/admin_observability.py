from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.observability import Observability
from ...models.observability_window import ObservabilityWindow
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    window: ObservabilityWindow | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    json_window: str | Unset = UNSET
    if not isinstance(window, Unset):
        json_window = window.value

    params["window"] = json_window


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/observability",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Observability | None:
    if response.status_code == 200:
        response_200 = Observability.from_dict(response.json())



        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorBody.from_dict(response.json())



        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorBody.from_dict(response.json())



        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | Observability]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    window: ObservabilityWindow | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Observability]:
    """ Request rates, latencies, the queue and the fleet

     Over the window: latency p50/p95/p99 and error counts in total, per route template and
    per step (merged over every API host, from the metrics each flushes every minute), the
    queue and dead-letter size per step (from the minute snapshots), the dead-letter growth
    over 24 hours and its trend, and the agents and policies as they are now. The current
    minute is not in it until the hosts flush it. Support role and above.

    Args:
        window (ObservabilityWindow | Unset): The period shown.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Observability]
     """


    kwargs = _get_kwargs(
        window=window,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    window: ObservabilityWindow | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Observability | None:
    """ Request rates, latencies, the queue and the fleet

     Over the window: latency p50/p95/p99 and error counts in total, per route template and
    per step (merged over every API host, from the metrics each flushes every minute), the
    queue and dead-letter size per step (from the minute snapshots), the dead-letter growth
    over 24 hours and its trend, and the agents and policies as they are now. The current
    minute is not in it until the hosts flush it. Support role and above.

    Args:
        window (ObservabilityWindow | Unset): The period shown.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Observability
     """


    return sync_detailed(
        client=client,
window=window,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    window: ObservabilityWindow | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Observability]:
    """ Request rates, latencies, the queue and the fleet

     Over the window: latency p50/p95/p99 and error counts in total, per route template and
    per step (merged over every API host, from the metrics each flushes every minute), the
    queue and dead-letter size per step (from the minute snapshots), the dead-letter growth
    over 24 hours and its trend, and the agents and policies as they are now. The current
    minute is not in it until the hosts flush it. Support role and above.

    Args:
        window (ObservabilityWindow | Unset): The period shown.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Observability]
     """


    kwargs = _get_kwargs(
        window=window,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    window: ObservabilityWindow | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Observability | None:
    """ Request rates, latencies, the queue and the fleet

     Over the window: latency p50/p95/p99 and error counts in total, per route template and
    per step (merged over every API host, from the metrics each flushes every minute), the
    queue and dead-letter size per step (from the minute snapshots), the dead-letter growth
    over 24 hours and its trend, and the agents and policies as they are now. The current
    minute is not in it until the hosts flush it. Support role and above.

    Args:
        window (ObservabilityWindow | Unset): The period shown.
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Observability
     """


    return (await asyncio_detailed(
        client=client,
window=window,
x_org_slug=x_org_slug,

    )).parsed
