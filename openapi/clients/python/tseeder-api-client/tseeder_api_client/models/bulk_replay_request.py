from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from uuid import UUID






T = TypeVar("T", bound="BulkReplayRequest")



@_attrs_define
class BulkReplayRequest:
    """ Replay every dead letter matching a filter.

        Attributes:
            reason (str): Why, 10 to 1000 characters once surrounding blanks are trimmed (kept in the audit log).
            dry_run (bool | Unset): Count only; change nothing. Default: False.
            error_contains (str | Unset): Only messages whose latest error contains this text (ignoring ASCII case), e.g. an
                error
                code.
            newer_than_secs (int | Unset): Only messages dead-lettered at most this many seconds ago.
            older_than_secs (int | Unset): Only messages dead-lettered at least this many seconds ago.
            ticket_id (str | Unset): A support ticket id, up to 64 printable characters, kept in the audit log beside the
                reason.
            user_id (UUID | Unset): Only messages about this user's jobs.
     """

    reason: str
    dry_run: bool | Unset = False
    error_contains: str | Unset = UNSET
    newer_than_secs: int | Unset = UNSET
    older_than_secs: int | Unset = UNSET
    ticket_id: str | Unset = UNSET
    user_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        dry_run = self.dry_run

        error_contains = self.error_contains

        newer_than_secs = self.newer_than_secs

        older_than_secs = self.older_than_secs

        ticket_id = self.ticket_id

        user_id: str | Unset = UNSET
        if not isinstance(self.user_id, Unset):
            user_id = str(self.user_id)


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

        dry_run = d.pop("dryRun", UNSET)

        error_contains = d.pop("errorContains", UNSET)

        newer_than_secs = d.pop("newerThanSecs", UNSET)

        older_than_secs = d.pop("olderThanSecs", UNSET)

        ticket_id = d.pop("ticketId", UNSET)

        _user_id = d.pop("userId", UNSET)
        user_id: UUID | Unset
        if isinstance(_user_id,  Unset):
            user_id = UNSET
        else:
            user_id = UUID(_user_id)




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
