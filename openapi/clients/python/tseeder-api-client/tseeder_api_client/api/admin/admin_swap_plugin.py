from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.plugin_swap_request import PluginSwapRequest
from ...models.policy_envelope import PolicyEnvelope
from ...models.policy_kind import PolicyKind
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    kind: PolicyKind,
    *,
    body: PluginSwapRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_csrf_token, Unset):
        headers["X-CSRF-Token"] = x_csrf_token

    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/plugins/{kind}/swap".format(kind=quote(str(kind), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json; charset=utf-8"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | PolicyEnvelope | None:
    if response.status_code == 200:
        response_200 = PolicyEnvelope.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | PolicyEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    kind: PolicyKind,
    *,
    client: AuthenticatedClient,
    body: PluginSwapRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | PolicyEnvelope]:
    """ Swap in a new plugin version

     Loads the component at `path` (default: the configured one), checks its SHA-256 against
    `sha256`, validates it (WIT world, imports against grants, a smoke decision) and swaps
    it in atomically; decisions in flight finish on the old version. A refused version
    (400 `plugin_refused`, with why) leaves the old one active. 409 `plugin_not_configured`
    when the policy has no plugin configuration. Audited as `plugin.swapped` or
    `plugin.swap_refused`. Admin role and above.

    Args:
        kind (PolicyKind): Which decision a policy makes.
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PluginSwapRequest): Swap in a new plugin version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PolicyEnvelope]
     """


    kwargs = _get_kwargs(
        kind=kind,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    kind: PolicyKind,
    *,
    client: AuthenticatedClient,
    body: PluginSwapRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | PolicyEnvelope | None:
    """ Swap in a new plugin version

     Loads the component at `path` (default: the configured one), checks its SHA-256 against
    `sha256`, validates it (WIT world, imports against grants, a smoke decision) and swaps
    it in atomically; decisions in flight finish on the old version. A refused version
    (400 `plugin_refused`, with why) leaves the old one active. 409 `plugin_not_configured`
    when the policy has no plugin configuration. Audited as `plugin.swapped` or
    `plugin.swap_refused`. Admin role and above.

    Args:
        kind (PolicyKind): Which decision a policy makes.
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PluginSwapRequest): Swap in a new plugin version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PolicyEnvelope
     """


    return sync_detailed(
        kind=kind,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    kind: PolicyKind,
    *,
    client: AuthenticatedClient,
    body: PluginSwapRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | PolicyEnvelope]:
    """ Swap in a new plugin version

     Loads the component at `path` (default: the configured one), checks its SHA-256 against
    `sha256`, validates it (WIT world, imports against grants, a smoke decision) and swaps
    it in atomically; decisions in flight finish on the old version. A refused version
    (400 `plugin_refused`, with why) leaves the old one active. 409 `plugin_not_configured`
    when the policy has no plugin configuration. Audited as `plugin.swapped` or
    `plugin.swap_refused`. Admin role and above.

    Args:
        kind (PolicyKind): Which decision a policy makes.
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PluginSwapRequest): Swap in a new plugin version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PolicyEnvelope]
     """


    kwargs = _get_kwargs(
        kind=kind,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    kind: PolicyKind,
    *,
    client: AuthenticatedClient,
    body: PluginSwapRequest,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | PolicyEnvelope | None:
    """ Swap in a new plugin version

     Loads the component at `path` (default: the configured one), checks its SHA-256 against
    `sha256`, validates it (WIT world, imports against grants, a smoke decision) and swaps
    it in atomically; decisions in flight finish on the old version. A refused version
    (400 `plugin_refused`, with why) leaves the old one active. 409 `plugin_not_configured`
    when the policy has no plugin configuration. Audited as `plugin.swapped` or
    `plugin.swap_refused`. Admin role and above.

    Args:
        kind (PolicyKind): Which decision a policy makes.
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PluginSwapRequest): Swap in a new plugin version.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PolicyEnvelope
     """


    return (await asyncio_detailed(
        kind=kind,
client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
