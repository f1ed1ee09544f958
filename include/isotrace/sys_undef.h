/* Ends one view of syscalls.def: the next view defines its own SYSn. */
#undef SYS0
#undef SYS1
#undef SYS2
#undef SYS3
#undef SYS4
#undef SYS5
#undef SYS6
