#include "plugin/config/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace steroid_advisor::plugin {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status WriteAll(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return UnavailableError(what + ": write failed: " + ErrnoText());
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::string> ReadConfigFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFoundError(path + ": no such file");
    return UnavailableError(path + ": cannot open: " + ErrnoText());
  }
  std::string contents;
  std::vector<char> chunk(64 * 1024);
  Status status;
  while (true) {
    ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      status = UnavailableError(path + ": read failed: " + ErrnoText());
      break;
    }
    if (n == 0) break;
    if (contents.size() + static_cast<size_t>(n) > max_bytes) {
      status =
          ResourceExhaustedError(path + ": larger than " + std::to_string(max_bytes) + " bytes");
      break;
    }
    contents.append(chunk.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  if (!status.ok()) return status;
  return contents;
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  mode_t mode = 0600;
  struct stat existing;
  if (::stat(path.c_str(), &existing) == 0) mode = existing.st_mode & 07777;

  std::string temp_path = path + ".tmp-XXXXXX";
  std::vector<char> temp_name(temp_path.begin(), temp_path.end());
  temp_name.push_back('\0');
  int fd = ::mkstemp(temp_name.data());
  if (fd < 0) return UnavailableError(path + ": cannot create temp file: " + ErrnoText());
  temp_path = temp_name.data();

  Status status = WriteAll(fd, contents, path);
  if (status.ok() && ::fchmod(fd, mode) != 0) {
    status = UnavailableError(path + ": chmod failed: " + ErrnoText());
  }
  // fsync before rename: otherwise a crash can leave the new name pointing at empty data.
  if (status.ok() && ::fsync(fd) != 0) {
    status = UnavailableError(path + ": fsync failed: " + ErrnoText());
  }
  ::close(fd);
  if (status.ok() && ::rename(temp_path.c_str(), path.c_str()) != 0) {
    status = UnavailableError(path + ": rename failed: " + ErrnoText());
  }
  if (!status.ok()) {
    ::unlink(temp_path.c_str());
    return status;
  }
  // The rename itself lives in the directory; fsync it so the new name survives a crash.
  int dir_fd = ::open(DirectoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return OkStatus();
}

std::optional<FileIdentity> StatFile(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return std::nullopt;
  FileIdentity identity;
  identity.device = info.st_dev;
  identity.inode = info.st_ino;
  identity.size = info.st_size;
  identity.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  return identity;
}

std::string DefaultAuditLogPath(const std::string& config_path) {
  return config_path + ".audit.jsonl";
}

}  // namespace steroid_advisor::plugin
