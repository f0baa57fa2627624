/**
 * The jfmi library: {@link io.jfmi.core.Communicator} and the types it takes and returns. Everything else (channels,
 * collective algorithms, the rendezvous client, utilities) is internal and may change without notice. The protocol
 * module is read but not re-exported, so no protobuf type appears in this module's API.
 */
module io.jfmi.core {
    requires io.jfmi.protocol;
    requires java.management;
    requires org.slf4j;

    exports io.jfmi.core;
}
