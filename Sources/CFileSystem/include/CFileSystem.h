#ifndef PROXIMUS_CFILESYSTEM_H
#define PROXIMUS_CFILESYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0 on success, -1 with errno set otherwise (e.g. EINVAL where unsupported).
int proximus_exchange_paths(const char *first, const char *second);

#endif
