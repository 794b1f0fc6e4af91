from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.set_setting_request import SetSettingRequest
from ...models.setting import Setting
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    key: str,
    *,
    body: SetSettingRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/admin/config/{key}".format(key=quote(str(key), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Setting | None:
    if response.status_code == 200:
        response_200 = Setting.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | Setting]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: SetSettingRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Setting]:
    """ Change a runtime setting

     Takes effect at once, for the next request that reads it. A flag takes `true` or
    `false`; a plan limit a whole number, or `null` for unlimited (400
    `invalid_setting_value` otherwise); an unknown key is 404 `setting_not_found`. Audited
    as `config.changed` and kept in the history. Superadmin only.

    Args:
        key (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetSettingRequest): A new value for a setting, with why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Setting]
     """


    kwargs = _get_kwargs(
        key=key,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    key: str,
    *,
    client: AuthenticatedClient,
    body: SetSettingRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Setting | None:
    """ Change a runtime setting

     Takes effect at once, for the next request that reads it. A flag takes `true` or
    `false`; a plan limit a whole number, or `null` for unlimited (400
    `invalid_setting_value` otherwise); an unknown key is 404 `setting_not_found`. Audited
    as `config.changed` and kept in the history. Superadmin only.

    Args:
        key (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetSettingRequest): A new value for a setting, with why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Setting
     """


    return sync_detailed(
        key=key,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    key: str,
    *,
    client: AuthenticatedClient,
    body: SetSettingRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | Setting]:
    """ Change a runtime setting

     Takes effect at once, for the next request that reads it. A flag takes `true` or
    `false`; a plan limit a whole number, or `null` for unlimited (400
    `invalid_setting_value` otherwise); an unknown key is 404 `setting_not_found`. Audited
    as `config.changed` and kept in the history. Superadmin only.

    Args:
        key (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetSettingRequest): A new value for a setting, with why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Setting]
     """


    kwargs = _get_kwargs(
        key=key,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    key: str,
    *,
    client: AuthenticatedClient,
    body: SetSettingRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | Setting | None:
    """ Change a runtime setting

     Takes effect at once, for the next request that reads it. A flag takes `true` or
    `false`; a plan limit a whole number, or `null` for unlimited (400
    `invalid_setting_value` otherwise); an unknown key is 404 `setting_not_found`. Audited
    as `config.changed` and kept in the history. Superadmin only.

    Args:
        key (str):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetSettingRequest): A new value for a setting, with why.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Setting
     """


    return (await asyncio_detailed(
        key=key,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
