import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { classifyCategory } from '../../src/classify/category.ts';
import { compileRules, loadRules } from '../../src/classify/rules.ts';
import { loadConfig } from '../../src/config/load.ts';

const config = loadConfig({ env: {} });
const shipped = () => parse(readFileSync(config.rules.file, 'utf8'));
const noFields = { format: null, feedbackType: null, category: null, reportType: null, sources: [], recipients: [], xarfKind: null, feed: null, notes: [] };

describe('triage rules as data', () => {
  it('the shipped rules load and classify in English and French', () => {
    const rules = loadRules(config.rules.file);
    assert.equal(classifyCategory(noFields, 'Phishing page', 'a fake login page', rules).category, 'phishing');
    assert.equal(classifyCategory(noFields, 'Signalement', 'un site de hameçonnage', rules).category, 'phishing');
  });

  it('ops can add wording without touching code', () => {
    const data = shipped();
    data.wording.fraud.push('crypto giveaway');
    const rules = compileRules(data, 'test');
    assert.equal(classifyCategory(noFields, 'hello', 'this is a crypto giveaway page', rules).category, 'fraud');
    assert.equal(classifyCategory(noFields, 'hello', 'this is a crypto giveaway page', loadRules(config.rules.file)).category, 'other');
  });

  it('names the key and the pattern when a rule is broken', () => {
    const badPattern = shipped();
    badPattern.wording.spam.push('unclosed(group');
    assert.throws(() => compileRules(badPattern, 'rules.yaml'), /wording\.spam\[\d+\]: .*fix the pattern "unclosed\(group"/);
    const badCategory = shipped();
    badCategory.structured.xarf.spam = 'junk';
    assert.throws(() => compileRules(badCategory, 'rules.yaml'), /structured\.xarf\.spam: Invalid option/);
    const missing = shipped();
    delete missing.wording.csam;
    assert.throws(() => compileRules(missing, 'rules.yaml'), /wording\.csam/);
    const badCue = shipped();
    badCue.roles.contextCues.push('[unclosed');
    assert.throws(() => compileRules(badCue, 'rules.yaml'), /roles\.contextCues\[\d+\]: .*fix the pattern "\[unclosed"/);
    const badDomain = shipped();
    badDomain.roles.referenceDomains.push('Not A Domain');
    assert.throws(() => compileRules(badDomain, 'rules.yaml'), /roles\.referenceDomains\.\d+: a domain or host name in lower case/);
  });
});
