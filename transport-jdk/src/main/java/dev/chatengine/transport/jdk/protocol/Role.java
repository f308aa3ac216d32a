package dev.chatengine.transport.jdk.protocol;

/** STUB: which end of the connection we are; decides masking rules. */
public enum Role { SERVER, CLIENT }
