from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.org_member import OrgMember
from ...models.set_org_member_role_request import SetOrgMemberRoleRequest
from ...types import UNSET, Unset
from typing import cast
from uuid import UUID



def _get_kwargs(
    slug: str,
    user_id: UUID,
    *,
    body: SetOrgMemberRoleRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/orgs/{slug}/members/{user_id}".format(slug=quote(str(slug), safe=""),user_id=quote(str(user_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | OrgMember | None:
    if response.status_code == 200:
        response_200 = OrgMember.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | OrgMember]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SetOrgMemberRoleRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | OrgMember]:
    """ Change a member's role

     Admins manage members and admins; only owners make, unmake or change owners (403
    `insufficient_role`). The last owner keeps their role (409 `last_owner`). 404
    `org_not_found`, `member_not_found`; 400 `invalid_request` for a malformed `userId`.
    Sessions only. Audited as `org.member_role_changed`.

    Args:
        slug (str):
        user_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetOrgMemberRoleRequest): A member's new role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | OrgMember]
     """


    kwargs = _get_kwargs(
        slug=slug,
user_id=user_id,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SetOrgMemberRoleRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | OrgMember | None:
    """ Change a member's role

     Admins manage members and admins; only owners make, unmake or change owners (403
    `insufficient_role`). The last owner keeps their role (409 `last_owner`). 404
    `org_not_found`, `member_not_found`; 400 `invalid_request` for a malformed `userId`.
    Sessions only. Audited as `org.member_role_changed`.

    Args:
        slug (str):
        user_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetOrgMemberRoleRequest): A member's new role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | OrgMember
     """


    return sync_detailed(
        slug=slug,
user_id=user_id,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SetOrgMemberRoleRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | OrgMember]:
    """ Change a member's role

     Admins manage members and admins; only owners make, unmake or change owners (403
    `insufficient_role`). The last owner keeps their role (409 `last_owner`). 404
    `org_not_found`, `member_not_found`; 400 `invalid_request` for a malformed `userId`.
    Sessions only. Audited as `org.member_role_changed`.

    Args:
        slug (str):
        user_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetOrgMemberRoleRequest): A member's new role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | OrgMember]
     """


    kwargs = _get_kwargs(
        slug=slug,
user_id=user_id,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    slug: str,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SetOrgMemberRoleRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | OrgMember | None:
    """ Change a member's role

     Admins manage members and admins; only owners make, unmake or change owners (403
    `insufficient_role`). The last owner keeps their role (409 `last_owner`). 404
    `org_not_found`, `member_not_found`; 400 `invalid_request` for a malformed `userId`.
    Sessions only. Audited as `org.member_role_changed`.

    Args:
        slug (str):
        user_id (UUID):
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (SetOrgMemberRoleRequest): A member's new role.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | OrgMember
     """


    return (await asyncio_detailed(
        slug=slug,
user_id=user_id,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
