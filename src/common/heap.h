// How leanscope's commands set up glibc's heap, in one place for the binary and
// the benchmarks that measure what the binary does (docs/PERFORMANCE.md).
#pragma once

namespace leanscope {

// Starts this program again (the same executable and arguments) with glibc's
// `glibc.malloc.hugetlb=1` tunable, which glibc reads only at start-up, unless
// it already runs with it or its environment sets `glibc.malloc.hugetlb`
// itself. The heap is then backed by transparent huge pages where the kernel
// allows them on request: a week of a devnet reads several hundred MB, and on
// a VM a fresh 4 KiB page costs a fault each (render of a week × 16 clients
// took 151,000 faults, then 2,100). Returns when there is nothing to do or the
// restart failed (the program then simply runs as it is). Call first in main,
// before any thread starts or file is opened.
void restart_with_huge_pages();

// Large freed blocks stay in the heap for the next table instead of going back
// to the kernel (a fresh page costs a fault each, expensive on small VMs), and
// every thread allocates from one arena: a reading thread's series are freed
// by the main thread, and a per-thread arena gave those pages back and faulted
// them in again on the next read. Call once, before any thread starts.
void configure_heap();

}  // namespace leanscope
