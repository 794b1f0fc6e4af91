from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from uuid import UUID

if TYPE_CHECKING:
  from ..models.file import File
  from ..models.file_tree_node_file_node import FileTreeNodeFileNode
  from ..models.file_tree_node_folder_node import FileTreeNodeFolderNode





T = TypeVar("T", bound="JobFiles")



@_attrs_define
class JobFiles:
    """ `{jobId, files, tree}`.

        Attributes:
            files (list[File]): Every file, ordered by path.
            job_id (UUID): The job.
            tree (list[FileTreeNodeFileNode | FileTreeNodeFolderNode]): The same files as a folder tree: at each level
                folders first, then files, each sorted by
                name (case-insensitively).
     """

    files: list[File]
    job_id: UUID
    tree: list[FileTreeNodeFileNode | FileTreeNodeFolderNode]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.file import File # noqa: PLC0415
        from ..models.file_tree_node_file_node import FileTreeNodeFileNode # noqa: PLC0415
        from ..models.file_tree_node_folder_node import FileTreeNodeFolderNode # noqa: PLC0415
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)



        job_id = str(self.job_id)

        tree = []
        for tree_item_data in self.tree:
            tree_item: dict[str, Any]
            if isinstance(tree_item_data, FileTreeNodeFolderNode):
                tree_item = tree_item_data.to_dict()
            else:
                tree_item = tree_item_data.to_dict()

            tree.append(tree_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "files": files,
            "jobId": job_id,
            "tree": tree,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file import File # noqa: PLC0415
        from ..models.file_tree_node_file_node import FileTreeNodeFileNode # noqa: PLC0415
        from ..models.file_tree_node_folder_node import FileTreeNodeFolderNode # noqa: PLC0415
        d = dict(src_dict)
        files = []
        _files = d.pop("files")
        for files_item_data in (_files):
            files_item = File.from_dict(files_item_data)



            files.append(files_item)


        job_id = UUID(d.pop("jobId"))




        tree = []
        _tree = d.pop("tree")
        for tree_item_data in (_tree):
            def _parse_tree_item(data: object) -> FileTreeNodeFileNode | FileTreeNodeFolderNode:
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

            tree_item = _parse_tree_item(tree_item_data)

            tree.append(tree_item)


        job_files = cls(
            files=files,
            job_id=job_id,
            tree=tree,
        )


        job_files.additional_properties = d
        return job_files

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
