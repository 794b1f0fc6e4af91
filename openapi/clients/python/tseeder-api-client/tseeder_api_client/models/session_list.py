from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.session_info import SessionInfo





T = TypeVar("T", bound="SessionList")



@_attrs_define
class SessionList:
    """ The caller's live sessions.

        Attributes:
            sessions (list[SessionInfo]): Every device logged in to the account, newest first.
            current_session_id (UUID | Unset): The id of the session making this request; absent when called with an API
                key.
     """

    sessions: list[SessionInfo]
    current_session_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.session_info import SessionInfo # noqa: PLC0415
        sessions = []
        for sessions_item_data in self.sessions:
            sessions_item = sessions_item_data.to_dict()
            sessions.append(sessions_item)



        current_session_id: str | Unset = UNSET
        if not isinstance(self.current_session_id, Unset):
            current_session_id = str(self.current_session_id)


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "sessions": sessions,
        })
        if current_session_id is not UNSET:
            field_dict["currentSessionId"] = current_session_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_info import SessionInfo # noqa: PLC0415
        d = dict(src_dict)
        sessions = []
        _sessions = d.pop("sessions")
        for sessions_item_data in (_sessions):
            sessions_item = SessionInfo.from_dict(sessions_item_data)



            sessions.append(sessions_item)


        _current_session_id = d.pop("currentSessionId", UNSET)
        current_session_id: UUID | Unset
        if isinstance(_current_session_id,  Unset):
            current_session_id = UNSET
        else:
            current_session_id = UUID(_current_session_id)




        session_list = cls(
            sessions=sessions,
            current_session_id=current_session_id,
        )


        session_list.additional_properties = d
        return session_list

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
