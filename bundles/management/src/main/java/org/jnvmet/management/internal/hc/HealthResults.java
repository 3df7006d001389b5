package org.jnvmet.management.internal.hc;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.Result;
import org.jnvmet.management.internal.HealthReport;

/** A {@link HealthReport} as a Felix Health Check result: one log entry per report entry, same status. */
final class HealthResults {
    private HealthResults() {
    }

    static Result toResult(HealthReport report) {
        FormattingResultLog log = new FormattingResultLog();
        for (HealthReport.Entry e : report.entries()) {
            switch (e.status()) {
                case OK -> log.info("{}", e.message());
                case WARN -> log.warn("{}", e.message());
                case TEMPORARILY_UNAVAILABLE -> log.temporarilyUnavailable("{}", e.message());
                case CRITICAL -> log.critical("{}", e.message());
            }
        }
        return new Result(log);
    }
}
