from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.file_tree_node_folder_node_type import FileTreeNodeFolderNodeType
from typing import cast

if TYPE_CHECKING:
  from ..models.file_tree_node_file_node import FileTreeNodeFileNode





T = TypeVar("T", bound="FileTreeNodeFolderNode")



@_attrs_define
class FileTreeNodeFolderNode:
    """ A node of a job's folder tree, told apart by `type`.

        Attributes:
            children (list[FileTreeNodeFileNode | FileTreeNodeFolderNode]): Folders first, then files.
            name (str): The folder's own name.
            path (str): Its path inside the job.
            type_ (FileTreeNodeFolderNodeType):  Example: folder.
     """

    children: list[FileTreeNodeFileNode | FileTreeNodeFolderNode]
    name: str
    path: str
    type_: FileTreeNodeFolderNodeType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.file_tree_node_file_node import FileTreeNodeFileNode # noqa: PLC0415
        children = []
        for children_item_data in self.children:
            children_item: dict[str, Any]
            if isinstance(children_item_data, FileTreeNodeFolderNode):
                children_item = children_item_data.to_dict()
            else:
                children_item = children_item_data.to_dict()

            children.append(children_item)



        name = self.name

        path = self.path

        type_ = self.type_.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "children": children,
            "name": name,
            "path": path,
            "type": type_,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_tree_node_file_node import FileTreeNodeFileNode # noqa: PLC0415
        d = dict(src_dict)
        children = []
        _children = d.pop("children")
        for children_item_data in (_children):
            def _parse_children_item(data: object) -> FileTreeNodeFileNode | FileTreeNodeFolderNode:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_file_tree_node_type_0 = FileTreeNodeFolderNode.from_dict(data)



                    return componentsschemas_file_tree_node_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_file_tree_node_type_1 = FileTreeNodeFileNode.from_dict(data)



                return componentsschemas_file_tree_node_type_1

            children_item = _parse_children_item(children_item_data)

            children.append(children_item)


        name = d.pop("name")

        path = d.pop("path")

        type_ = FileTreeNodeFolderNodeType(d.pop("type"))




        file_tree_node_folder_node = cls(
            children=children,
            name=name,
            path=path,
            type_=type_,
        )


        file_tree_node_folder_node.additional_properties = d
        return file_tree_node_folder_node

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
