/**
 * The command layer's public face: the registry (every command once), its parser, and the
 * argument vocabulary other layers use.
 */
export { COMMANDS, MAX_COMMAND_CHARS, USAGE, commandMenuEntries, commandSpec, helpText, parseCommand, usageFor, type Command, type CommandName, type ParseResult } from './commands/registry';
export { BINDING_CODE, type BindTarget, type DutyArgs, type ListFilter, type RoleWord } from './commands/app-commands';
export type { AppCommandSpec, CaseCommandSpec, CommandSpec, DecideContext, Decision, PracticeSettings } from './commands/spec';
