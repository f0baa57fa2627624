/**
 * What ranks and the rendezvous server share: the control messages and their codec, the data frame header, job
 * authentication, the channel-planning rules, the limits both sides check, and the secret file.
 */
// protobuf-java names itself in its manifest only
@SuppressWarnings({"requires-transitive-automatic", "requires-automatic"})
module io.jfmi.protocol {
    requires transitive com.google.protobuf;

    exports io.jfmi.protocol;
    exports io.jfmi.protocol.proto;
}
