from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.heartbeat import Heartbeat
from ...models.heartbeat_response import HeartbeatResponse
from typing import cast



def _get_kwargs(
    *,
    body: Heartbeat,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/agent/heartbeat",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | HeartbeatResponse | None:
    if response.status_code == 200:
        response_200 = HeartbeatResponse.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | HeartbeatResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: Heartbeat,

) -> Response[ErrorBody | HeartbeatResponse]:
    """ Report an agent's state

     Registers the agent on its first heartbeat and records its latest state and a history
    row on every one. The request must be signed (`X-Tseeder-Timestamp` and
    `X-Tseeder-Signature`, see the `agentSignature` scheme); a refused signature is 401
    `agent_unauthenticated` (or `agent_replayed` for a replay) and is recorded as an
    `agent.auth_failed` security event. 403 `agents_disabled` when the server has no
    `agents.secret`. 400 `invalid_heartbeat` for a body that does not parse or validate.

    Args:
        body (Heartbeat): What an agent reports every few seconds. The server stamps it with its
            own clock.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | HeartbeatResponse]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: Heartbeat,

) -> ErrorBody | HeartbeatResponse | None:
    """ Report an agent's state

     Registers the agent on its first heartbeat and records its latest state and a history
    row on every one. The request must be signed (`X-Tseeder-Timestamp` and
    `X-Tseeder-Signature`, see the `agentSignature` scheme); a refused signature is 401
    `agent_unauthenticated` (or `agent_replayed` for a replay) and is recorded as an
    `agent.auth_failed` security event. 403 `agents_disabled` when the server has no
    `agents.secret`. 400 `invalid_heartbeat` for a body that does not parse or validate.

    Args:
        body (Heartbeat): What an agent reports every few seconds. The server stamps it with its
            own clock.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | HeartbeatResponse
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Heartbeat,

) -> Response[ErrorBody | HeartbeatResponse]:
    """ Report an agent's state

     Registers the agent on its first heartbeat and records its latest state and a history
    row on every one. The request must be signed (`X-Tseeder-Timestamp` and
    `X-Tseeder-Signature`, see the `agentSignature` scheme); a refused signature is 401
    `agent_unauthenticated` (or `agent_replayed` for a replay) and is recorded as an
    `agent.auth_failed` security event. 403 `agents_disabled` when the server has no
    `agents.secret`. 400 `invalid_heartbeat` for a body that does not parse or validate.

    Args:
        body (Heartbeat): What an agent reports every few seconds. The server stamps it with its
            own clock.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | HeartbeatResponse]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: Heartbeat,

) -> ErrorBody | HeartbeatResponse | None:
    """ Report an agent's state

     Registers the agent on its first heartbeat and records its latest state and a history
    row on every one. The request must be signed (`X-Tseeder-Timestamp` and
    `X-Tseeder-Signature`, see the `agentSignature` scheme); a refused signature is 401
    `agent_unauthenticated` (or `agent_replayed` for a replay) and is recorded as an
    `agent.auth_failed` security event. 403 `agents_disabled` when the server has no
    `agents.secret`. 400 `invalid_heartbeat` for a body that does not parse or validate.

    Args:
        body (Heartbeat): What an agent reports every few seconds. The server stamps it with its
            own clock.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | HeartbeatResponse
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
