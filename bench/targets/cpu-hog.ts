// Takes one core and keeps it, as another tenant's job would: the contended pipeline phase runs
// beside it. No work worth optimising away, no I/O, no yielding; SIGTERM ends it (no handler).
let x = 0;
for (;;) x = (x * 1103515245 + 12345) % 2147483648;
