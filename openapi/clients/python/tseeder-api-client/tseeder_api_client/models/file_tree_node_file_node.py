from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.file_tree_node_file_node_type import FileTreeNodeFileNodeType
from uuid import UUID






T = TypeVar("T", bound="FileTreeNodeFileNode")



@_attrs_define
class FileTreeNodeFileNode:
    """ A node of a job's folder tree, told apart by `type`.

        Attributes:
            id (UUID): The file's id.
            name (str): The file's own name.
            path (str): Its path inside the job.
            size_bytes (int): Size in bytes.
            type_ (FileTreeNodeFileNodeType):  Example: file.
     """

    id: UUID
    name: str
    path: str
    size_bytes: int
    type_: FileTreeNodeFileNodeType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        path = self.path

        size_bytes = self.size_bytes

        type_ = self.type_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "path": path,
            "sizeBytes": size_bytes,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))




        name = d.pop("name")

        path = d.pop("path")

        size_bytes = d.pop("sizeBytes")

        type_ = FileTreeNodeFileNodeType(d.pop("type"))




        file_tree_node_file_node = cls(
            id=id,
            name=name,
            path=path,
            size_bytes=size_bytes,
            type_=type_,
        )


        file_tree_node_file_node.additional_properties = d
        return file_tree_node_file_node

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
