from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.user import User





T = TypeVar("T", bound="LoginResponse")



@_attrs_define
class LoginResponse:
    """ A successful login. The session token itself only travels in the `session` cookie.

        Attributes:
            csrf_token (str): Send this back in the `X-CSRF-Token` header on every state-changing request made with
                the session cookie.
            expires_at (datetime.datetime): When the session expires.
            user (User): A user account.
     """

    csrf_token: str
    expires_at: datetime.datetime
    user: User
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.user import User # noqa: PLC0415
        csrf_token = self.csrf_token

        expires_at = self.expires_at.isoformat()

        user = self.user.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "csrfToken": csrf_token,
            "expiresAt": expires_at,
            "user": user,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user import User # noqa: PLC0415
        d = dict(src_dict)
        csrf_token = d.pop("csrfToken")

        expires_at = datetime.datetime.fromisoformat(d.pop("expiresAt"))




        user = User.from_dict(d.pop("user"))




        login_response = cls(
            csrf_token=csrf_token,
            expires_at=expires_at,
            user=user,
        )


        login_response.additional_properties = d
        return login_response

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
