from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.job_preview import JobPreview
from ...models.preview_job_files_body import PreviewJobFilesBody
from ...models.preview_magnet_request import PreviewMagnetRequest
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body:    PreviewMagnetRequest  |     PreviewJobFilesBody  | Unset = UNSET,
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
        "url": "/api/v1/jobs/preview",
    }

    if isinstance(body, PreviewMagnetRequest):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json; charset=utf-8"
    if isinstance(body, PreviewJobFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | JobPreview | None:
    if response.status_code == 200:
        response_200 = JobPreview.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | JobPreview]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body:    PreviewMagnetRequest  |     PreviewJobFilesBody  | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | JobPreview]:
    """ Preview a job

     What submitting this magnet link (JSON) or `.torrent` file (multipart) would download:
    name, infohash, total size and every file with its index, path and size; and what it would
    cost against the caller's plan (storage used and left, whether the whole torrent fits).
    Nothing is created. For a magnet the server asks peers for the metadata, waiting up to
    20 s (504 `metadata_timeout` when none answered); a server whose downloads run on remote
    agents cannot do that (503 `preview_unavailable`). Bad input is 400 `invalid_magnet` or
    `invalid_torrent`; a blocked torrent 403 `blocked`. Needs `jobs:write`; counts against the
    per-user submission rate.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PreviewMagnetRequest): Preview a magnet link.
        body (PreviewJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobPreview]
     """


    kwargs = _get_kwargs(
        body=body,
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
    body:    PreviewMagnetRequest  |     PreviewJobFilesBody  | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | JobPreview | None:
    """ Preview a job

     What submitting this magnet link (JSON) or `.torrent` file (multipart) would download:
    name, infohash, total size and every file with its index, path and size; and what it would
    cost against the caller's plan (storage used and left, whether the whole torrent fits).
    Nothing is created. For a magnet the server asks peers for the metadata, waiting up to
    20 s (504 `metadata_timeout` when none answered); a server whose downloads run on remote
    agents cannot do that (503 `preview_unavailable`). Bad input is 400 `invalid_magnet` or
    `invalid_torrent`; a blocked torrent 403 `blocked`. Needs `jobs:write`; counts against the
    per-user submission rate.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PreviewMagnetRequest): Preview a magnet link.
        body (PreviewJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobPreview
     """


    return sync_detailed(
        client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body:    PreviewMagnetRequest  |     PreviewJobFilesBody  | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | JobPreview]:
    """ Preview a job

     What submitting this magnet link (JSON) or `.torrent` file (multipart) would download:
    name, infohash, total size and every file with its index, path and size; and what it would
    cost against the caller's plan (storage used and left, whether the whole torrent fits).
    Nothing is created. For a magnet the server asks peers for the metadata, waiting up to
    20 s (504 `metadata_timeout` when none answered); a server whose downloads run on remote
    agents cannot do that (503 `preview_unavailable`). Bad input is 400 `invalid_magnet` or
    `invalid_torrent`; a blocked torrent 403 `blocked`. Needs `jobs:write`; counts against the
    per-user submission rate.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PreviewMagnetRequest): Preview a magnet link.
        body (PreviewJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | JobPreview]
     """


    kwargs = _get_kwargs(
        body=body,
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
    body:    PreviewMagnetRequest  |     PreviewJobFilesBody  | Unset = UNSET,
    x_csrf_token: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | JobPreview | None:
    """ Preview a job

     What submitting this magnet link (JSON) or `.torrent` file (multipart) would download:
    name, infohash, total size and every file with its index, path and size; and what it would
    cost against the caller's plan (storage used and left, whether the whole torrent fits).
    Nothing is created. For a magnet the server asks peers for the metadata, waiting up to
    20 s (504 `metadata_timeout` when none answered); a server whose downloads run on remote
    agents cannot do that (503 `preview_unavailable`). Bad input is 400 `invalid_magnet` or
    `invalid_torrent`; a blocked torrent 403 `blocked`. Needs `jobs:write`; counts against the
    per-user submission rate.

    Args:
        x_csrf_token (str | Unset):
        x_org_slug (str | Unset):
        body (PreviewMagnetRequest): Preview a magnet link.
        body (PreviewJobFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | JobPreview
     """


    return (await asyncio_detailed(
        client=client,
body=body,
x_csrf_token=x_csrf_token,
x_org_slug=x_org_slug,

    )).parsed
