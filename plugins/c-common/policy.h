// Small helpers shared by the C example plugins. The plugins run in a fresh sandbox for every
// decision, so they allocate freely and never free: the whole instance is dropped afterwards.
#ifndef TSEEDER_POLICY_COMMON_H
#define TSEEDER_POLICY_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// Copies `len` bytes at `ptr` into fresh memory: the host frees returned strings after the
// call, so an answer never points into the arguments.
static inline uint8_t *policy_copy(const uint8_t *ptr, size_t len) {
  uint8_t *out = malloc(len ? len : 1);
  if (out == NULL) abort();
  memcpy(out, ptr, len);
  return out;
}

// Byte-wise comparison of two strings, as Rust orders `str` (shorter first on a common prefix).
static inline int policy_compare_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len) {
  size_t n = a_len < b_len ? a_len : b_len;
  int c = n ? memcmp(a, b, n) : 0;
  if (c != 0) return c;
  return (a_len > b_len) - (a_len < b_len);
}

#endif
