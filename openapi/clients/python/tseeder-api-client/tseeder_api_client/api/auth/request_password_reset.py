from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.password_reset_request import PasswordResetRequest
from ...models.password_reset_requested import PasswordResetRequested
from typing import cast



def _get_kwargs(
    *,
    body: PasswordResetRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/password-reset",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | PasswordResetRequested | None:
    if response.status_code == 200:
        response_200 = PasswordResetRequested.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | PasswordResetRequested]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,

) -> Response[ErrorBody | PasswordResetRequested]:
    """ Ask for a password reset email

     When an account with this address exists and is not suspended, emails it a link to
    `/reset?token=…` that sets a new password once, within `auth.password_reset_minutes`
    (an hour by default). The answer is the same for any address, so it never tells whether
    an account exists; `emailSent` only says whether this server sends email at all.
    Rate-limited per client address and per address asked for.

    Args:
        body (PasswordResetRequest): A request for a password reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PasswordResetRequested]
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
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,

) -> ErrorBody | PasswordResetRequested | None:
    """ Ask for a password reset email

     When an account with this address exists and is not suspended, emails it a link to
    `/reset?token=…` that sets a new password once, within `auth.password_reset_minutes`
    (an hour by default). The answer is the same for any address, so it never tells whether
    an account exists; `emailSent` only says whether this server sends email at all.
    Rate-limited per client address and per address asked for.

    Args:
        body (PasswordResetRequest): A request for a password reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PasswordResetRequested
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,

) -> Response[ErrorBody | PasswordResetRequested]:
    """ Ask for a password reset email

     When an account with this address exists and is not suspended, emails it a link to
    `/reset?token=…` that sets a new password once, within `auth.password_reset_minutes`
    (an hour by default). The answer is the same for any address, so it never tells whether
    an account exists; `emailSent` only says whether this server sends email at all.
    Rate-limited per client address and per address asked for.

    Args:
        body (PasswordResetRequest): A request for a password reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PasswordResetRequested]
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
    client: AuthenticatedClient | Client,
    body: PasswordResetRequest,

) -> ErrorBody | PasswordResetRequested | None:
    """ Ask for a password reset email

     When an account with this address exists and is not suspended, emails it a link to
    `/reset?token=…` that sets a new password once, within `auth.password_reset_minutes`
    (an hour by default). The answer is the same for any address, so it never tells whether
    an account exists; `emailSent` only says whether this server sends email at all.
    Rate-limited per client address and per address asked for.

    Args:
        body (PasswordResetRequest): A request for a password reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PasswordResetRequested
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
