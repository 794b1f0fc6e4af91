//! Stored files, the folder tree of a job, and signed links.

use chrono::{DateTime, Utc};
use poem_openapi::{Object, Union};
use tseeder_core::domain::StoredFile;
use uuid::Uuid;

/// A stored file of a job.
#[derive(Debug, Clone, Object)]
#[oai(rename = "File", rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct FileView {
    /// The id, for `/files/{id}/...`.
    pub(crate) id: Uuid,
    /// Path inside the job, `/`-separated (`album/01.flac`).
    pub(crate) path: String,
    /// Size in bytes.
    pub(crate) size_bytes: u64,
    /// MIME type guessed from the extension; absent when unknown (downloads then say
    /// `application/octet-stream`).
    pub(crate) mime_type: Option<String>,
}

impl From<StoredFile> for FileView {
    fn from(file: StoredFile) -> Self {
        Self { id: file.id.0, path: file.path.as_str().to_owned(), size_bytes: file.size, mime_type: file.mime_type }
    }
}

/// `{jobId, files, tree}`.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct JobFiles {
    /// The job.
    pub(crate) job_id: Uuid,
    /// Every file, ordered by path.
    pub(crate) files: Vec<FileView>,
    /// The same files as a folder tree: at each level folders first, then files, each sorted by
    /// name (case-insensitively).
    pub(crate) tree: Vec<FileTreeNode>,
}

/// A node of a job's folder tree, told apart by `type`.
#[derive(Debug, Clone, Union)]
#[oai(discriminator_name = "type")]
pub(crate) enum FileTreeNode {
    /// A folder.
    #[oai(mapping = "folder")]
    Folder(FolderNode),
    /// A file.
    #[oai(mapping = "file")]
    File(FileNode),
}

/// `{type: "folder", name, path, children}`.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct FolderNode {
    /// The folder's own name.
    pub(crate) name: String,
    /// Its path inside the job.
    pub(crate) path: String,
    /// Folders first, then files.
    pub(crate) children: Vec<FileTreeNode>,
}

/// `{type: "file", name, path, id, sizeBytes}`.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase")]
pub(crate) struct FileNode {
    /// The file's own name.
    pub(crate) name: String,
    /// Its path inside the job.
    pub(crate) path: String,
    /// The file's id.
    pub(crate) id: Uuid,
    /// Size in bytes.
    pub(crate) size_bytes: u64,
}

/// A folder being filled by [`file_tree`].
#[derive(Debug, Default)]
struct Folder<'a> {
    folders: Vec<(&'a str, Folder<'a>)>,
    files: Vec<(&'a str, &'a FileView)>,
}

impl<'a> Folder<'a> {
    fn insert(&mut self, segments: &[&'a str], file: &'a FileView) {
        match segments {
            [] => {}
            [name] => self.files.push((name, file)),
            [name, rest @ ..] => {
                let index = match self.folders.iter().position(|(n, _)| n == name) {
                    Some(index) => index,
                    None => {
                        self.folders.push((name, Folder::default()));
                        self.folders.len() - 1
                    }
                };
                self.folders[index].1.insert(rest, file);
            }
        }
    }

    fn into_nodes(mut self, prefix: &str) -> Vec<FileTreeNode> {
        self.folders.sort_by(|a, b| by_name(a.0, b.0));
        self.files.sort_by(|a, b| by_name(a.0, b.0));
        let mut nodes = Vec::with_capacity(self.folders.len() + self.files.len());
        for (name, folder) in self.folders {
            let path = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
            let children = folder.into_nodes(&path);
            nodes.push(FileTreeNode::Folder(FolderNode { name: name.to_owned(), path, children }));
        }
        for (name, file) in self.files {
            nodes.push(FileTreeNode::File(FileNode {
                name: name.to_owned(),
                path: file.path.clone(),
                id: file.id,
                size_bytes: file.size_bytes,
            }));
        }
        nodes
    }
}

/// Case-insensitive, then exact (so the order is total and stable).
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b))
}

/// The folder tree of `files`, from their `/`-separated paths.
pub(crate) fn file_tree(files: &[FileView]) -> Vec<FileTreeNode> {
    let mut root = Folder::default();
    for file in files {
        let segments: Vec<&str> = file.path.split('/').filter(|s| !s.is_empty()).collect();
        root.insert(&segments, file);
    }
    root.into_nodes("")
}

/// Options of a signed link.
#[derive(Debug, Clone, Object)]
#[oai(rename_all = "camelCase", skip_serializing_if_is_none)]
pub(crate) struct SignedUrlRequest {
    /// Seconds the link works, 60 to 86400 (default 3600).
    #[oai(nullable, validator(minimum(value = "60"), maximum(value = "86400")))]
    pub(crate) expires_in: Option<u64>,
}

/// A link that downloads the file without credentials until it expires.
#[derive(Debug, Clone, Object)]
#[oai(rename = "SignedUrl", rename_all = "camelCase")]
pub(crate) struct SignedUrlView {
    /// The file.
    pub(crate) file_id: Uuid,
    /// An absolute URL: this API's `/api/v1/files/{id}/stream?expires=...&token=...`, or a URL
    /// presigned by the object store.
    pub(crate) url: String,
    /// When the link stops working.
    pub(crate) expires_at: DateTime<Utc>,
    /// The file's name (the last segment of its path).
    pub(crate) filename: String,
}

#[cfg(test)]
mod tests {
    use poem_openapi::types::ToJSON;
    use serde_json::json;

    use super::*;

    fn file(path: &str, size: u64) -> FileView {
        FileView { id: Uuid::nil(), path: path.into(), size_bytes: size, mime_type: None }
    }

    fn tree_json(files: &[FileView]) -> serde_json::Value {
        serde_json::Value::Array(file_tree(files).iter().map(|n| n.to_json().unwrap_or_default()).collect())
    }

    #[test]
    fn a_single_file_is_a_leaf_at_the_root() {
        let tree = tree_json(&[file("movie.mkv", 7)]);
        assert_eq!(
            tree,
            json!([{"type": "file", "name": "movie.mkv", "path": "movie.mkv", "id": Uuid::nil(), "sizeBytes": 7}])
        );
    }

    #[test]
    fn folders_come_first_and_names_are_sorted() {
        let files = [
            file("album/b.flac", 2),
            file("album/art/cover.jpg", 3),
            file("album/A.flac", 1),
            file("readme.txt", 4),
            file("album/Art2/x.png", 5),
        ];
        let tree = tree_json(&files);
        let names = |nodes: &serde_json::Value| -> Vec<String> {
            nodes
                .as_array()
                .unwrap()
                .iter()
                .map(|n| format!("{}:{}", n["type"].as_str().unwrap(), n["name"].as_str().unwrap()))
                .collect()
        };
        assert_eq!(names(&tree), ["folder:album", "file:readme.txt"]);
        let album = &tree[0];
        assert_eq!(album["path"], "album");
        assert_eq!(names(&album["children"]), ["folder:art", "folder:Art2", "file:A.flac", "file:b.flac"]);
        let art = &album["children"][0];
        assert_eq!(art["path"], "album/art");
        assert_eq!(art["children"][0]["path"], "album/art/cover.jpg");
        assert_eq!(art["children"][0]["sizeBytes"], 3);
    }

    #[test]
    fn no_files_is_an_empty_tree() {
        assert!(file_tree(&[]).is_empty());
    }
}
