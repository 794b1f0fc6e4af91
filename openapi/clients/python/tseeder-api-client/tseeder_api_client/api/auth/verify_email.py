from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.user_envelope import UserEnvelope
from ...models.verify_email_request import VerifyEmailRequest
from typing import cast



def _get_kwargs(
    *,
    body: VerifyEmailRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/verify-email",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | UserEnvelope | None:
    if response.status_code == 200:
        response_200 = UserEnvelope.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | UserEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyEmailRequest,

) -> Response[ErrorBody | UserEnvelope]:
    """ Confirm an email address with a verification email's token

     The link emailed at registration (or by `POST /auth/verify-email/resend`) goes to
    `/verify?token=…`; its token confirms the address once, within
    `auth.email_verification_hours`, and only while the account still has that address. An
    unknown, used or expired token is 400 `invalid_verification_token`. No credentials needed:
    the token is the proof. Returns the account, with `emailVerified`. Rate-limited per client
    address like logins. Audited as `user.email_verified`.

    Args:
        body (VerifyEmailRequest): The token of an email verification link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UserEnvelope]
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
    body: VerifyEmailRequest,

) -> ErrorBody | UserEnvelope | None:
    """ Confirm an email address with a verification email's token

     The link emailed at registration (or by `POST /auth/verify-email/resend`) goes to
    `/verify?token=…`; its token confirms the address once, within
    `auth.email_verification_hours`, and only while the account still has that address. An
    unknown, used or expired token is 400 `invalid_verification_token`. No credentials needed:
    the token is the proof. Returns the account, with `emailVerified`. Rate-limited per client
    address like logins. Audited as `user.email_verified`.

    Args:
        body (VerifyEmailRequest): The token of an email verification link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UserEnvelope
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: VerifyEmailRequest,

) -> Response[ErrorBody | UserEnvelope]:
    """ Confirm an email address with a verification email's token

     The link emailed at registration (or by `POST /auth/verify-email/resend`) goes to
    `/verify?token=…`; its token confirms the address once, within
    `auth.email_verification_hours`, and only while the account still has that address. An
    unknown, used or expired token is 400 `invalid_verification_token`. No credentials needed:
    the token is the proof. Returns the account, with `emailVerified`. Rate-limited per client
    address like logins. Audited as `user.email_verified`.

    Args:
        body (VerifyEmailRequest): The token of an email verification link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UserEnvelope]
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
    body: VerifyEmailRequest,

) -> ErrorBody | UserEnvelope | None:
    """ Confirm an email address with a verification email's token

     The link emailed at registration (or by `POST /auth/verify-email/resend`) goes to
    `/verify?token=…`; its token confirms the address once, within
    `auth.email_verification_hours`, and only while the account still has that address. An
    unknown, used or expired token is 400 `invalid_verification_token`. No credentials needed:
    the token is the proof. Returns the account, with `emailVerified`. Rate-limited per client
    address like logins. Audited as `user.email_verified`.

    Args:
        body (VerifyEmailRequest): The token of an email verification link.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UserEnvelope
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
