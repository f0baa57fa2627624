package io.jfmi.core.rendezvous;

import io.jfmi.protocol.proto.Endpoint;
import io.jfmi.protocol.proto.EndpointKind;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where this process can be reached, and which ranks share its host (same kernel and network namespace). */
public final class LocalEndpoints {
    private LocalEndpoints() {
    }

    /**
     * Endpoints for a listener on {@code port}: loopback first, then each up, non-loopback IPv4 interface
     * address, or only {@code advertiseHost} when the user named one.
     */
    public static List<Endpoint> forPort(int port, String advertiseHost) {
        List<Endpoint> endpoints = new ArrayList<>();
        if (advertiseHost != null && !advertiseHost.isBlank()) {
            endpoints.add(endpoint(advertiseHost, port, EndpointKind.LAN));
            return endpoints;
        }
        endpoints.add(endpoint("127.0.0.1", port, EndpointKind.LOOPBACK));
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        endpoints.add(endpoint(a.getHostAddress(), port, EndpointKind.LAN));
                    }
                }
            }
        } catch (SocketException e) {
            // Loopback alone still serves ranks on this host; others fall back to the relay.
        }
        return endpoints;
    }

    /**
     * Identifies this host's kernel and network namespace: loopback reaches a peer only when both match (ranks in
     * different network namespaces share the boot id but not the loopback).
     */
    public static String hostId() {
        String boot = readOr(Path.of("/proc/sys/kernel/random/boot_id"), "");
        String netns = "";
        try {
            netns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux: the host name alone has to do
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "/" + boot.trim() + "/" + netns;
    }

    private static Endpoint endpoint(String host, int port, EndpointKind kind) {
        return Endpoint.newBuilder().setHost(host).setPort(port).setKind(kind).build();
    }

    private static String readOr(Path p, String fallback) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return fallback;
        }
    }
}
