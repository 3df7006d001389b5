package org.jnvmet.shell;

import static org.jnvmet.shell.fixtures.Fixtures.HOST1;
import static org.jnvmet.shell.fixtures.Fixtures.HOST2;
import static org.jnvmet.shell.fixtures.Fixtures.S1;
import static org.jnvmet.shell.fixtures.Fixtures.S2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jnvmet.api.ControllerInfo;
import org.jnvmet.shell.fixtures.RecordingTarget;
import org.junit.jupiter.api.Test;

class ConnectionsReportTest {
    private static final String HOSTID = "0b8a3b1a-5a4b-4c4b-9d2f-2f2d1c3e4f50";

    @Test
    void oneRowPerControllerOrderedBySubsystemAndCntlid() {
        RecordingTarget target = new RecordingTarget();
        target.controllers.add(new ControllerInfo(S2, 1, HOST2, HOSTID, 1, 2, 0, false, "10.0.0.3:51000"));
        target.controllers.add(new ControllerInfo(S1, 7, HOST1, HOSTID, 1, 4, 15000, true, "10.0.0.2:40124"));
        target.controllers.add(new ControllerInfo(S1, 3, HOST2, HOSTID, 2, 0, 5000, true, "10.0.0.3:40200"));
        ConnectionsReport report = new ConnectionsReport(target);

        assertEquals(""
                + "Subsystem                  | Host NQN                      | Cntlid | Port | I/O queues | Keep-alive"
                + " | Ready | Peer\n"
                + "---------------------------+-------------------------------+--------+------+------------+-----------"
                + "-+-------+---------------\n"
                + "nqn.2014-08.org.example:s1 | nqn.2014-08.org.example:host2 |      3 |    2 |          0 |    5000 ms"
                + " | yes   | 10.0.0.3:40200\n"
                + "nqn.2014-08.org.example:s1 | nqn.2014-08.org.example:host1 |      7 |    1 |          4 |   15000 ms"
                + " | yes   | 10.0.0.2:40124\n"
                + "nqn.2014-08.org.example:s2 | nqn.2014-08.org.example:host2 |      1 |    1 |          2 |        off"
                + " | no    | 10.0.0.3:51000\n",
                TextTable.render(report.table(null, false)));

        Table s2 = report.table(S2, true);
        assertEquals(List.of(HOSTID), s2.column("Host ID"));
        assertEquals(List.of("1"), s2.column("Cntlid"));
        assertEquals(List.of(), report.table("nqn.2014-08.org.example:none", false).rows());
    }
}
