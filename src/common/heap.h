// How leanscope's commands set up glibc's heap, in one place for the binary and
// the benchmarks that measure what the binary does (docs/PERFORMANCE.md).
#pragma once

namespace leanscope {

// Large freed blocks stay in the heap for the next table instead of going back
// to the kernel (a fresh page costs a fault each, expensive on small VMs), and
// every thread allocates from one arena: a reading thread's series are freed
// by the main thread, and a per-thread arena gave those pages back and faulted
// them in again on the next read. Call once, before any thread starts.
void configure_heap();

}  // namespace leanscope
