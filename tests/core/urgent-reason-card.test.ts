import { describe, expect, it } from 'vitest';
import { newCaseFromIntake, validateIntake } from '../../core/intake';
import { DEFAULT_POLICY } from '../../core/street-config';
import { caseCard } from '../../core/texts';
import { GROUP_NAMES, T0 } from './make-case';

const routing = { communities: [{ key: 'zhangyi', name: '张仪村社区', places: ['张仪村'] }], sections: [] };

function intake(body: Record<string, unknown>) {
  const v = validateIntake({ hotlineNo: 'U-1', ...body }, new Set(Object.keys(GROUP_NAMES)));
  if (!v.ok) throw new Error(v.error);
  return { ...newCaseFromIntake(v.value, '12345', DEFAULT_POLICY, routing, T0), id: 9 };
}

describe('the card says why the bot judged a case urgent', () => {
  it('a present danger: urgent, with the reason on the card, and a place key without the room', () => {
    const c = intake({ content: '张仪村4号院门口井盖丢失，有人掉进去了', address: '张仪村4号院3号楼2单元501' });
    expect(c.urgency).toBe('urgent');
    expect(c.urgencyReason).toBeTruthy();
    expect(caseCard(c, { timeZone: 'Asia/Shanghai', groupNames: GROUP_NAMES })).toContain(`（紧急：${c.urgencyReason}）`);
    expect(c.placeKey).toBe('zhangyi:张仪村4号院3号楼');
  });

  it('urgency given by the work order carries no reason of the bot', () => {
    const c = intake({ content: '井盖丢失', urgency: 'urgent' });
    expect(c.urgencyReason).toBeNull();
  });

  it('a company name is no danger: ordinary, no reason', () => {
    const c = intake({ content: '某某燃气有限公司的保安态度恶劣' });
    expect(c.urgency).not.toBe('urgent');
    expect(c.urgencyReason).toBeNull();
  });
});
