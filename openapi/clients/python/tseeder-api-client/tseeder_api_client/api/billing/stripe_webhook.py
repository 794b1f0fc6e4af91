from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.stripe_webhook_body import StripeWebhookBody
from ...models.webhook_received import WebhookReceived
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: StripeWebhookBody,
    stripe_signature: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(stripe_signature, Unset):
        headers["Stripe-Signature"] = stripe_signature



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/billing/webhook",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | WebhookReceived | None:
    if response.status_code == 200:
        response_200 = WebhookReceived.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | WebhookReceived]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: StripeWebhookBody,
    stripe_signature: str | Unset = UNSET,

) -> Response[ErrorBody | WebhookReceived]:
    """ Stripe's webhook

     Where Stripe delivers its events. No credentials and no CSRF token: the
    `Stripe-Signature` header (`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
    endpoint's signing secret; several `v1` entries are allowed, one must match) proves the
    delivery, over the exact body bytes (at most 1 MiB, 413 `payload_too_large`). A missing
    or malformed header, a wrong signature or a timestamp outside the tolerance is 400
    `invalid_webhook` and a `billing.webhook_refused` security event. Each event id is
    processed once (again: 200 with `duplicate: true`), and subscription changes are applied
    in the order Stripe created them: an older event never overrides a newer one. 404
    `billing_disabled` when this server takes no payments.

    Args:
        stripe_signature (str | Unset):
        body (StripeWebhookBody): A Stripe event, exactly as Stripe sends it. Read:
            `checkout.session.completed`, `customer.subscription.created`, `.updated` and `.deleted`,
            and `invoice.payment_failed`; other types are acknowledged and ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookReceived]
     """


    kwargs = _get_kwargs(
        body=body,
stripe_signature=stripe_signature,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    body: StripeWebhookBody,
    stripe_signature: str | Unset = UNSET,

) -> ErrorBody | WebhookReceived | None:
    """ Stripe's webhook

     Where Stripe delivers its events. No credentials and no CSRF token: the
    `Stripe-Signature` header (`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
    endpoint's signing secret; several `v1` entries are allowed, one must match) proves the
    delivery, over the exact body bytes (at most 1 MiB, 413 `payload_too_large`). A missing
    or malformed header, a wrong signature or a timestamp outside the tolerance is 400
    `invalid_webhook` and a `billing.webhook_refused` security event. Each event id is
    processed once (again: 200 with `duplicate: true`), and subscription changes are applied
    in the order Stripe created them: an older event never overrides a newer one. 404
    `billing_disabled` when this server takes no payments.

    Args:
        stripe_signature (str | Unset):
        body (StripeWebhookBody): A Stripe event, exactly as Stripe sends it. Read:
            `checkout.session.completed`, `customer.subscription.created`, `.updated` and `.deleted`,
            and `invoice.payment_failed`; other types are acknowledged and ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookReceived
     """


    return sync_detailed(
        client=client,
body=body,
stripe_signature=stripe_signature,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: StripeWebhookBody,
    stripe_signature: str | Unset = UNSET,

) -> Response[ErrorBody | WebhookReceived]:
    """ Stripe's webhook

     Where Stripe delivers its events. No credentials and no CSRF token: the
    `Stripe-Signature` header (`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
    endpoint's signing secret; several `v1` entries are allowed, one must match) proves the
    delivery, over the exact body bytes (at most 1 MiB, 413 `payload_too_large`). A missing
    or malformed header, a wrong signature or a timestamp outside the tolerance is 400
    `invalid_webhook` and a `billing.webhook_refused` security event. Each event id is
    processed once (again: 200 with `duplicate: true`), and subscription changes are applied
    in the order Stripe created them: an older event never overrides a newer one. 404
    `billing_disabled` when this server takes no payments.

    Args:
        stripe_signature (str | Unset):
        body (StripeWebhookBody): A Stripe event, exactly as Stripe sends it. Read:
            `checkout.session.completed`, `customer.subscription.created`, `.updated` and `.deleted`,
            and `invoice.payment_failed`; other types are acknowledged and ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WebhookReceived]
     """


    kwargs = _get_kwargs(
        body=body,
stripe_signature=stripe_signature,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: StripeWebhookBody,
    stripe_signature: str | Unset = UNSET,

) -> ErrorBody | WebhookReceived | None:
    """ Stripe's webhook

     Where Stripe delivers its events. No credentials and no CSRF token: the
    `Stripe-Signature` header (`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the
    endpoint's signing secret; several `v1` entries are allowed, one must match) proves the
    delivery, over the exact body bytes (at most 1 MiB, 413 `payload_too_large`). A missing
    or malformed header, a wrong signature or a timestamp outside the tolerance is 400
    `invalid_webhook` and a `billing.webhook_refused` security event. Each event id is
    processed once (again: 200 with `duplicate: true`), and subscription changes are applied
    in the order Stripe created them: an older event never overrides a newer one. 404
    `billing_disabled` when this server takes no payments.

    Args:
        stripe_signature (str | Unset):
        body (StripeWebhookBody): A Stripe event, exactly as Stripe sends it. Read:
            `checkout.session.completed`, `customer.subscription.created`, `.updated` and `.deleted`,
            and `invoice.payment_failed`; other types are acknowledged and ignored.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WebhookReceived
     """


    return (await asyncio_detailed(
        client=client,
body=body,
stripe_signature=stripe_signature,

    )).parsed
