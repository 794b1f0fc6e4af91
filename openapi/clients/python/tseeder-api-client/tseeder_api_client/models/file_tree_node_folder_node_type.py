from enum import StrEnum

class FileTreeNodeFolderNodeType(StrEnum):
    FOLDER = "folder"

    def __str__(self) -> str:
        return str(self.value)
