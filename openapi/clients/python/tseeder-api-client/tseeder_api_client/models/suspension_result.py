from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.user import User





T = TypeVar("T", bound="SuspensionResult")



@_attrs_define
class SuspensionResult:
    """ What a suspension did.

        Attributes:
            jobs_paused (int): Jobs paused.
            sessions_revoked (int): Sessions revoked.
            user (User): A user account.
     """

    jobs_paused: int
    sessions_revoked: int
    user: User
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.user import User # noqa: PLC0415
        jobs_paused = self.jobs_paused

        sessions_revoked = self.sessions_revoked

        user = self.user.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "jobsPaused": jobs_paused,
            "sessionsRevoked": sessions_revoked,
            "user": user,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user import User # noqa: PLC0415
        d = dict(src_dict)
        jobs_paused = d.pop("jobsPaused")

        sessions_revoked = d.pop("sessionsRevoked")

        user = User.from_dict(d.pop("user"))




        suspension_result = cls(
            jobs_paused=jobs_paused,
            sessions_revoked=sessions_revoked,
            user=user,
        )


        suspension_result.additional_properties = d
        return suspension_result

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
