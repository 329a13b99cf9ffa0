package org.ciampack.events.sink;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The timer that ends sends past their deadline, one per kind of sink. */
final class SendDeadlines {

    private SendDeadlines() {
    }

    /**
     * A single daemon thread. A cancelled deadline leaves the queue at once (it holds what the send holds, a round's
     * body); no thread is kept while nothing sends, nor one holding the pack's class loader after a redeploy.
     */
    static ScheduledThreadPoolExecutor timer(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(60, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
