package io.agentkit.sync.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * Client CPU time of this JVM through {@link ThreadMXBean}: the CPU time of every live
 * thread except the measuring thread (read separately, right around the measured call, so
 * reading the other threads is not counted) and the threads of an in-process stub server.
 * Threads that end between two readings lose their time, which the measured code's
 * long-lived threads (the sync thread, the Netty event loops) do not.
 */
final class CpuClock {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private CpuClock() {
	}

	static Map<Long, Long> otherThreads() {
		long self = Thread.currentThread().getId();
		Map<Long, Long> times = new HashMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info == null || info.getThreadId() == self || isServerThread(info.getThreadName())) {
				continue;
			}
			long time = threads.getThreadCpuTime(info.getThreadId());
			if (time > 0) {
				times.put(info.getThreadId(), time);
			}
		}
		return times;
	}

	static long currentThread() {
		return threads.getCurrentThreadCpuTime();
	}

	static long elapsed(Map<Long, Long> before, Map<Long, Long> after) {
		long total = 0;
		for (Map.Entry<Long, Long> entry : after.entrySet()) {
			total += entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
		}
		return total;
	}

	private static boolean isServerThread(String name) {
		return name.startsWith("stub-server") || name.startsWith("wire-proxy") || name.startsWith("HTTP-Dispatcher");
	}

}
