/**
 * Rooms bound in the YAML by their topic (`platforms.wechaty.rooms: { zhangyi: 张仪村社区群 }`).
 * A topic is only a name anyone can give a room, so a topic that more than one room carries binds
 * none of them (cases carry personal data) until the operator renames one or binds with a code.
 * Room ids are learnt as the bot sees rooms (at login, on each message, on a topic change).
 */
export class RoomTopicBindings {
  /** topic → group key */
  private readonly groupByTopic = new Map<string, string>();
  /** room id → its last seen topic, for the configured topics only */
  private readonly topicByRoom = new Map<string, string>();

  constructor(rooms: Readonly<Record<string, string>>) {
    for (const [group, topic] of Object.entries(rooms)) this.groupByTopic.set(topic.trim(), group);
  }

  /** The configured topics. */
  topics(): string[] {
    return [...this.groupByTopic.keys()];
  }

  /** A room was seen with this topic (or renamed to it); returns true when that changed a binding. */
  observe(roomId: string, topic: string): boolean {
    const t = topic.trim();
    const before = this.topicByRoom.get(roomId);
    if (this.groupByTopic.has(t)) this.topicByRoom.set(roomId, t);
    else this.topicByRoom.delete(roomId);
    return before !== this.topicByRoom.get(roomId);
  }

  /** Replaces what is known of one topic with a fresh search result (after a login the ids may be new). */
  replace(topic: string, roomIds: string[]): void {
    const t = topic.trim();
    for (const [id, seen] of this.topicByRoom) if (seen === t) this.topicByRoom.delete(id);
    for (const id of roomIds) this.topicByRoom.set(id, t);
  }

  /** Rooms carrying this topic (several = a conflict, none bound). */
  roomsWithTopic(topic: string): string[] {
    const t = topic.trim();
    return [...this.topicByRoom].filter(([, seen]) => seen === t).map(([id]) => id);
  }

  /** The group a room is bound to by its topic, or null (not configured, or the topic is ambiguous). */
  groupOf(roomId: string): string | null {
    const topic = this.topicByRoom.get(roomId);
    if (topic === undefined || this.roomsWithTopic(topic).length !== 1) return null;
    return this.groupByTopic.get(topic) ?? null;
  }

  /** The room bound to a group by topic: zero or one id. */
  chatIds(group: string): string[] {
    const out: string[] = [];
    for (const [topic, g] of this.groupByTopic) {
      if (g !== group) continue;
      const rooms = this.roomsWithTopic(topic);
      if (rooms.length === 1) out.push(rooms[0]!);
    }
    return out;
  }
}
