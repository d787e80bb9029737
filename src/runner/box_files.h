#pragma once
// Filling the host directories whose entries noj-sandbox binds read-only into a scratch /box
// (docs/sandbox.md): everything placed here must be readable by a box uid (directories 0755,
// files at least 0444), and nothing a box did is ever followed (links and special files skipped).

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::runner {

// Copies what `from` holds (a package folder: chaos/, include/, share/, checker/ …) into `to`,
// recursively, replacing files of the same name. An absent `from` copies nothing.
Status CopyFolderContents(const std::filesystem::path& from, const std::filesystem::path& to);

// Directories 0755, files 0644 — except files with the owner's execute bit, which get 0755 (a
// compiled program collected by noj-sandbox). Only for trees this runner wrote itself: a hard
// link shares its mode with the file it links.
Status MakeReadableByBoxes(const std::filesystem::path& dir);

// Puts the regular file `from` at `to` (absent) for a box to read: a hard link when `from` is
// readable by others and on the same filesystem, else a copy made readable (cheap for large
// testdata on one filesystem; never changes `from`'s mode).
Status PlaceFile(const std::filesystem::path& from, const std::filesystem::path& to);

// Places every regular file below `from` at the same relative path below `to` (PlaceFile),
// creating directories 0755. A name `to` already holds is kept (the first placed wins); links
// and special files of `from` are skipped. An absent `from` places nothing.
Status PlaceTree(const std::filesystem::path& from, const std::filesystem::path& to);

// Relative paths ("a.txt", "sub/b.txt") of the regular files below `dir`, sorted; empty when
// `dir` is absent. Links are neither listed nor followed.
Result<std::vector<std::string>> ListFilesBelow(const std::filesystem::path& dir);

// Removes `dir` (if present) and creates it empty, 0755.
Status FreshDir(const std::filesystem::path& dir);

}  // namespace noj::runner
