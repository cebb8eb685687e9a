package dev.ferry.rehearsal.bench;

import java.util.Map;

/** One run of every phase: the timings by phase name ({@link Report} prints them) and the two dumps' sizes. */
record Run(Map<String, Timed> phases, long runbookDumpBytes, long ferryDumpBytes) {}
