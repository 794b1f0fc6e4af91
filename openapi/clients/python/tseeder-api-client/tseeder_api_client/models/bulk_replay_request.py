from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID






T = TypeVar("T", bound="BulkReplayRequest")



@_attrs_define
class BulkReplayRequest:
    """ Replay every dead letter matching a filter.

        Attributes:
            reason (str): Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
            dry_run (bool | None | Unset): Count only; change nothing (default false).
            error_contains (None | str | Unset): Only messages whose latest error contains this text (ignoring ASCII case),
                e.g. an error
                code.
            newer_than_secs (int | None | Unset): Only messages dead-lettered at most this many seconds ago.
            older_than_secs (int | None | Unset): Only messages dead-lettered at least this many seconds ago.
            ticket_id (None | str | Unset): A support ticket id, up to 64 printable characters, kept in the audit log beside
                the
                reason.
            user_id (None | Unset | UUID): Only messages about this user's jobs.
     """

    reason: str
    dry_run: bool | None | Unset = UNSET
    error_contains: None | str | Unset = UNSET
    newer_than_secs: int | None | Unset = UNSET
    older_than_secs: int | None | Unset = UNSET
    ticket_id: None | str | Unset = UNSET
    user_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        dry_run: bool | None | Unset
        if isinstance(self.dry_run, Unset):
            dry_run = UNSET
        else:
            dry_run = self.dry_run

        error_contains: None | str | Unset
        if isinstance(self.error_contains, Unset):
            error_contains = UNSET
        else:
            error_contains = self.error_contains

        newer_than_secs: int | None | Unset
        if isinstance(self.newer_than_secs, Unset):
            newer_than_secs = UNSET
        else:
            newer_than_secs = self.newer_than_secs

        older_than_secs: int | None | Unset
        if isinstance(self.older_than_secs, Unset):
            older_than_secs = UNSET
        else:
            older_than_secs = self.older_than_secs

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        else:
            ticket_id = self.ticket_id

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        elif isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
        })
        if dry_run is not UNSET:
            field_dict["dryRun"] = dry_run
        if error_contains is not UNSET:
            field_dict["errorContains"] = error_contains
        if newer_than_secs is not UNSET:
            field_dict["newerThanSecs"] = newer_than_secs
        if older_than_secs is not UNSET:
            field_dict["olderThanSecs"] = older_than_secs
        if ticket_id is not UNSET:
            field_dict["ticketId"] = ticket_id
        if user_id is not UNSET:
            field_dict["userId"] = user_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_dry_run(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        dry_run = _parse_dry_run(d.pop("dryRun", UNSET))


        def _parse_error_contains(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_contains = _parse_error_contains(d.pop("errorContains", UNSET))


        def _parse_newer_than_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        newer_than_secs = _parse_newer_than_secs(d.pop("newerThanSecs", UNSET))


        def _parse_older_than_secs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        older_than_secs = _parse_older_than_secs(d.pop("olderThanSecs", UNSET))


        def _parse_ticket_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ticket_id = _parse_ticket_id(d.pop("ticketId", UNSET))


        def _parse_user_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)



                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        user_id = _parse_user_id(d.pop("userId", UNSET))


        bulk_replay_request = cls(
            reason=reason,
            dry_run=dry_run,
            error_contains=error_contains,
            newer_than_secs=newer_than_secs,
            older_than_secs=older_than_secs,
            ticket_id=ticket_id,
            user_id=user_id,
        )


        bulk_replay_request.additional_properties = d
        return bulk_replay_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
