from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PluginSwapRequest")



@_attrs_define
class PluginSwapRequest:
    """ Swap in a new plugin version.

        Attributes:
            reason (str): Why (10 to 1000 characters once surrounding blanks are trimmed), kept in the audit log.
            sha256 (str): The file's SHA-256 (64 hex characters): the new pin.
            path (None | str | Unset): The component file on the API host; default: the configured path.
            ticket_id (None | str | Unset): A support ticket id, up to 64 printable characters, kept in the audit log beside
                the
                reason.
     """

    reason: str
    sha256: str
    path: None | str | Unset = UNSET
    ticket_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        sha256 = self.sha256

        path: None | str | Unset
        if isinstance(self.path, Unset):
            path = UNSET
        else:
            path = self.path

        ticket_id: None | str | Unset
        if isinstance(self.ticket_id, Unset):
            ticket_id = UNSET
        else:
            ticket_id = self.ticket_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "reason": reason,
            "sha256": sha256,
        })
        if path is not UNSET:
            field_dict["path"] = path
        if ticket_id is not UNSET:
            field_dict["ticketId"] = ticket_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        sha256 = d.pop("sha256")

        def _parse_path(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        path = _parse_path(d.pop("path", UNSET))


        def _parse_ticket_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ticket_id = _parse_ticket_id(d.pop("ticketId", UNSET))


        plugin_swap_request = cls(
            reason=reason,
            sha256=sha256,
            path=path,
            ticket_id=ticket_id,
        )


        plugin_swap_request.additional_properties = d
        return plugin_swap_request

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
