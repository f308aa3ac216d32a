package dev.chatengine.engine.chat;

import dev.chatengine.engine.chat.spi.BrokerListener;
import dev.chatengine.engine.chat.spi.ChatBroker;
import dev.chatengine.engine.chat.spi.ChatMessage;
import dev.chatengine.engine.chat.spi.Direct;
import dev.chatengine.engine.chat.spi.Ephemeral;
import dev.chatengine.engine.chat.spi.Member;
import dev.chatengine.engine.chat.spi.MemberList;
import dev.chatengine.engine.chat.spi.Published;
import dev.chatengine.engine.chat.spi.RoomPage;
import dev.chatengine.engine.chat.spi.RoomState;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A broker that passes every call on: tests override the calls they want to break or watch. */
class DelegatingBroker implements ChatBroker {

    private final ChatBroker delegate;

    DelegatingBroker(ChatBroker delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start(BrokerListener listener) {
        delegate.start(listener);
    }

    @Override
    public RoomState openRoom(String room) {
        return delegate.openRoom(room);
    }

    @Override
    public void closeRoom(String room) {
        delegate.closeRoom(room);
    }

    @Override
    public Published publish(ChatMessage message, String publicationId) {
        return delegate.publish(message, publicationId);
    }

    @Override
    public void publishEphemeral(Ephemeral event) {
        delegate.publishEphemeral(event);
    }

    @Override
    public boolean addMember(String room, Member member) {
        return delegate.addMember(room, member);
    }

    @Override
    public boolean removeMember(String room, Member member) {
        return delegate.removeMember(room, member);
    }

    @Override
    public MemberList members(String room, int limit) {
        return delegate.members(room, limit);
    }

    @Override
    public int memberCount(String room) {
        return delegate.memberCount(room);
    }

    @Override
    public RoomPage rooms(int limit, String cursor) {
        return delegate.rooms(limit, cursor);
    }

    @Override
    public boolean claimName(Member member) {
        return delegate.claimName(member);
    }

    @Override
    public void releaseName(Member member) {
        delegate.releaseName(member);
    }

    @Override
    public Optional<String> lookupName(String key) {
        return delegate.lookupName(key);
    }

    @Override
    public List<String> online(Collection<String> keys) {
        return delegate.online(keys);
    }

    @Override
    public List<String> onlineNames(int limit) {
        return delegate.onlineNames(limit);
    }

    @Override
    public boolean sendDirect(String toKey, Direct direct) {
        return delegate.sendDirect(toKey, direct);
    }

    @Override
    public boolean kick(String key, int code, String reason) {
        return delegate.kick(key, code, reason);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
