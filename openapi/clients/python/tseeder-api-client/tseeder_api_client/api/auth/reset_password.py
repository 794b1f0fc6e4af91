from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.password_reset_confirm import PasswordResetConfirm
from typing import cast



def _get_kwargs(
    *,
    body: PasswordResetConfirm,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/password-reset/confirm",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetConfirm,

) -> Response[Any | ErrorBody]:
    """ Set a new password with a reset email's token

     Stores the new password and ends every session of the account; the token and every
    other reset link of the account stop working. An unknown, used or expired token is 400
    `invalid_reset_token`. Rate-limited per client address like logins.

    Args:
        body (PasswordResetConfirm): A new password, with the token of a reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
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
    body: PasswordResetConfirm,

) -> Any | ErrorBody | None:
    """ Set a new password with a reset email's token

     Stores the new password and ends every session of the account; the token and every
    other reset link of the account stop working. An unknown, used or expired token is 400
    `invalid_reset_token`. Rate-limited per client address like logins.

    Args:
        body (PasswordResetConfirm): A new password, with the token of a reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: PasswordResetConfirm,

) -> Response[Any | ErrorBody]:
    """ Set a new password with a reset email's token

     Stores the new password and ends every session of the account; the token and every
    other reset link of the account stop working. An unknown, used or expired token is 400
    `invalid_reset_token`. Rate-limited per client address like logins.

    Args:
        body (PasswordResetConfirm): A new password, with the token of a reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
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
    body: PasswordResetConfirm,

) -> Any | ErrorBody | None:
    """ Set a new password with a reset email's token

     Stores the new password and ends every session of the account; the token and every
    other reset link of the account stop working. An unknown, used or expired token is 400
    `invalid_reset_token`. Rate-limited per client address like logins.

    Args:
        body (PasswordResetConfirm): A new password, with the token of a reset email.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
