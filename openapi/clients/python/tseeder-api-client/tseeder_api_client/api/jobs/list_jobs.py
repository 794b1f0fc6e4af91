from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_body import ErrorBody
from ...models.job_sort_by import JobSortBy
from ...models.job_status import JobStatus
from ...models.page_job import PageJob
from ...models.sort_dir import SortDir
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    status: JobStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    sort_by: JobSortBy | Unset = UNSET,
    sort_dir: SortDir | Unset = UNSET,
    all_: bool | Unset = False,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_org_slug, Unset):
        headers["X-Org-Slug"] = x_org_slug



    

    params: dict[str, Any] = {}

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["page"] = page

    params["limit"] = limit

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by.value

    params["sortBy"] = json_sort_by

    json_sort_dir: str | Unset = UNSET
    if not isinstance(sort_dir, Unset):
        json_sort_dir = sort_dir.value

    params["sortDir"] = json_sort_dir

    params["all"] = all_

    params["category"] = category

    params["tag"] = tag


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | PageJob | None:
    if response.status_code == 200:
        response_200 = PageJob.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | PageJob]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: JobStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    sort_by: JobSortBy | Unset = UNSET,
    sort_dir: SortDir | Unset = UNSET,
    all_: bool | Unset = False,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | PageJob]:
    """ List jobs

     The jobs of the organization the request acts in (`X-Org-Slug`, the API key's, or the
    personal one): all of them for its owners and admins, the caller's own for members. With
    `all=true`, every user's in every organization (support role and above).

    Args:
        status (JobStatus | Unset): Where a job is in its life.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        sort_by (JobSortBy | Unset): Sort key of job lists.
        sort_dir (SortDir | Unset): Sort direction.
        all_ (bool | Unset):  Default: False.
        category (str | Unset):
        tag (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PageJob]
     """


    kwargs = _get_kwargs(
        status=status,
page=page,
limit=limit,
sort_by=sort_by,
sort_dir=sort_dir,
all_=all_,
category=category,
tag=tag,
x_org_slug=x_org_slug,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    status: JobStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    sort_by: JobSortBy | Unset = UNSET,
    sort_dir: SortDir | Unset = UNSET,
    all_: bool | Unset = False,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | PageJob | None:
    """ List jobs

     The jobs of the organization the request acts in (`X-Org-Slug`, the API key's, or the
    personal one): all of them for its owners and admins, the caller's own for members. With
    `all=true`, every user's in every organization (support role and above).

    Args:
        status (JobStatus | Unset): Where a job is in its life.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        sort_by (JobSortBy | Unset): Sort key of job lists.
        sort_dir (SortDir | Unset): Sort direction.
        all_ (bool | Unset):  Default: False.
        category (str | Unset):
        tag (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PageJob
     """


    return sync_detailed(
        client=client,
status=status,
page=page,
limit=limit,
sort_by=sort_by,
sort_dir=sort_dir,
all_=all_,
category=category,
tag=tag,
x_org_slug=x_org_slug,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: JobStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    sort_by: JobSortBy | Unset = UNSET,
    sort_dir: SortDir | Unset = UNSET,
    all_: bool | Unset = False,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> Response[ErrorBody | PageJob]:
    """ List jobs

     The jobs of the organization the request acts in (`X-Org-Slug`, the API key's, or the
    personal one): all of them for its owners and admins, the caller's own for members. With
    `all=true`, every user's in every organization (support role and above).

    Args:
        status (JobStatus | Unset): Where a job is in its life.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        sort_by (JobSortBy | Unset): Sort key of job lists.
        sort_dir (SortDir | Unset): Sort direction.
        all_ (bool | Unset):  Default: False.
        category (str | Unset):
        tag (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PageJob]
     """


    kwargs = _get_kwargs(
        status=status,
page=page,
limit=limit,
sort_by=sort_by,
sort_dir=sort_dir,
all_=all_,
category=category,
tag=tag,
x_org_slug=x_org_slug,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    status: JobStatus | Unset = UNSET,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    sort_by: JobSortBy | Unset = UNSET,
    sort_dir: SortDir | Unset = UNSET,
    all_: bool | Unset = False,
    category: str | Unset = UNSET,
    tag: str | Unset = UNSET,
    x_org_slug: str | Unset = UNSET,

) -> ErrorBody | PageJob | None:
    """ List jobs

     The jobs of the organization the request acts in (`X-Org-Slug`, the API key's, or the
    personal one): all of them for its owners and admins, the caller's own for members. With
    `all=true`, every user's in every organization (support role and above).

    Args:
        status (JobStatus | Unset): Where a job is in its life.
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        sort_by (JobSortBy | Unset): Sort key of job lists.
        sort_dir (SortDir | Unset): Sort direction.
        all_ (bool | Unset):  Default: False.
        category (str | Unset):
        tag (str | Unset):
        x_org_slug (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PageJob
     """


    return (await asyncio_detailed(
        client=client,
status=status,
page=page,
limit=limit,
sort_by=sort_by,
sort_dir=sort_dir,
all_=all_,
category=category,
tag=tag,
x_org_slug=x_org_slug,

    )).parsed
