from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.billing_redirect import BillingRedirect
from ...models.error_body import ErrorBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
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
        "url": "/api/v1/billing/portal",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> BillingRedirect | ErrorBody | None:
    if response.status_code == 200:
        response_200 = BillingRedirect.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[BillingRedirect | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[BillingRedirect | ErrorBody]:
    """ Manage the subscription

     Opens the Stripe customer portal of the organization the request acts in (payment method,
    invoices, plan changes, cancellation) and answers 200 with its `url`; the portal comes
    back to the console's `/billing`. Owners and admins (403 `insufficient_role`), with a
    session (403 `session_required`); 409 `no_billing_customer` before its first checkout;
    503 `billing_unavailable`; 404 `billing_disabled`. Audited as `billing.portal_opened`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingRedirect | ErrorBody]
     """


    kwargs = _get_kwargs(
        x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> BillingRedirect | ErrorBody | None:
    """ Manage the subscription

     Opens the Stripe customer portal of the organization the request acts in (payment method,
    invoices, plan changes, cancellation) and answers 200 with its `url`; the portal comes
    back to the console's `/billing`. Owners and admins (403 `insufficient_role`), with a
    session (403 `session_required`); 409 `no_billing_customer` before its first checkout;
    503 `billing_unavailable`; 404 `billing_disabled`. Audited as `billing.portal_opened`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingRedirect | ErrorBody
     """


    return sync_detailed(
        client=client,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[BillingRedirect | ErrorBody]:
    """ Manage the subscription

     Opens the Stripe customer portal of the organization the request acts in (payment method,
    invoices, plan changes, cancellation) and answers 200 with its `url`; the portal comes
    back to the console's `/billing`. Owners and admins (403 `insufficient_role`), with a
    session (403 `session_required`); 409 `no_billing_customer` before its first checkout;
    503 `billing_unavailable`; 404 `billing_disabled`. Audited as `billing.portal_opened`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BillingRedirect | ErrorBody]
     """


    kwargs = _get_kwargs(
        x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> BillingRedirect | ErrorBody | None:
    """ Manage the subscription

     Opens the Stripe customer portal of the organization the request acts in (payment method,
    invoices, plan changes, cancellation) and answers 200 with its `url`; the portal comes
    back to the console's `/billing`. Owners and admins (403 `insufficient_role`), with a
    session (403 `session_required`); 409 `no_billing_customer` before its first checkout;
    503 `billing_unavailable`; 404 `billing_disabled`. Audited as `billing.portal_opened`.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BillingRedirect | ErrorBody
     """


    return (await asyncio_detailed(
        client=client,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
