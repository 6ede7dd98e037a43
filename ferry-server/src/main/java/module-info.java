/** The HTTP control server. It talks to a run only through {@link io.ferry.core.control.FerryControl}. */
module io.ferry.server {
    requires transitive io.ferry.core;
    requires org.slf4j;
    requires io.javalin;

    // exports io.ferry.server; (lands with the control server)
}
