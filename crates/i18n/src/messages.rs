//! What a locale's Fluent file defines: its message ids and the arguments each one reads.
//!
//! The file is parsed here rather than only handed to the loader because the loader logs
//! syntax errors and duplicate ids and carries on with whatever parsed; the catalog refuses
//! to start instead.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{
    CallArguments, Entry, Expression, InlineExpression, Pattern, PatternElement,
};

use crate::{I18nError, Locale};

/// Message id → the names of the variables it reads (directly or through messages it
/// references), for every message that has a value.
pub(crate) type MessageArguments = BTreeMap<String, BTreeSet<String>>;

/// Parses the Fluent file of `locale` and lists its messages with their arguments.
pub(crate) fn parse(locale: Locale, path: &str, text: &str) -> Result<MessageArguments, I18nError> {
    let resource = fluent_syntax::parser::parse(text).map_err(|(_, errors)| I18nError::Syntax {
        locale,
        path: path.to_owned(),
        errors: errors
            .iter()
            .map(|error| {
                let line = text
                    .get(..error.pos.start)
                    .map_or(0, |head| head.matches('\n').count())
                    + 1;
                format!("line {line}: {error}")
            })
            .collect::<Vec<_>>()
            .join("\n"),
    })?;

    let mut direct: BTreeMap<&str, References<'_>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for entry in &resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        if !seen.insert(message.id.name) {
            return Err(I18nError::DuplicateMessage {
                locale,
                key: message.id.name.to_owned(),
            });
        }
        if let Some(value) = &message.value {
            let mut references = References::default();
            references.pattern(value);
            direct.insert(message.id.name, references);
        }
    }

    Ok(direct
        .keys()
        .map(|&id| {
            let mut variables = BTreeSet::new();
            collect_variables(&direct, id, &mut BTreeSet::new(), &mut variables);
            (id.to_owned(), variables)
        })
        .collect())
}

/// Adds the variables of `id` and of the messages it references, each message once (which
/// also stops reference cycles, which Fluent itself would report when formatting).
fn collect_variables<'a>(
    direct: &BTreeMap<&'a str, References<'a>>,
    id: &'a str,
    visited: &mut BTreeSet<&'a str>,
    variables: &mut BTreeSet<String>,
) {
    if !visited.insert(id) {
        return;
    }
    let Some(references) = direct.get(id) else {
        return;
    };
    variables.extend(references.variables.iter().map(|&name| name.to_owned()));
    for &message in &references.messages {
        collect_variables(direct, message, visited, variables);
    }
}

/// The variables and messages one message value refers to.
#[derive(Default)]
struct References<'a> {
    variables: BTreeSet<&'a str>,
    messages: BTreeSet<&'a str>,
}

impl<'a> References<'a> {
    fn pattern(&mut self, pattern: &Pattern<&'a str>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &Expression<&'a str>) {
        match expression {
            Expression::Select { selector, variants } => {
                self.inline(selector);
                for variant in variants {
                    self.pattern(&variant.value);
                }
            }
            Expression::Inline(inline) => self.inline(inline),
        }
    }

    fn inline(&mut self, inline: &InlineExpression<&'a str>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                self.variables.insert(id.name);
            }
            InlineExpression::MessageReference { id, .. } => {
                self.messages.insert(id.name);
            }
            InlineExpression::FunctionReference { arguments, .. } => self.call(arguments),
            InlineExpression::TermReference { arguments, .. } => {
                if let Some(arguments) = arguments {
                    self.call(arguments);
                }
            }
            InlineExpression::Placeable { expression } => self.expression(expression),
            InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
        }
    }

    fn call(&mut self, arguments: &CallArguments<&'a str>) {
        for positional in &arguments.positional {
            self.inline(positional);
        }
        for named in &arguments.named {
            self.inline(&named.value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ftl: &str, expected: &[(&str, &[&str])]) {
        let parsed = parse(Locale::En, "test.ftl", ftl).expect("the test file parses");
        let expected: MessageArguments = expected
            .iter()
            .map(|(id, args)| {
                (
                    (*id).to_owned(),
                    args.iter().map(|&arg| arg.to_owned()).collect(),
                )
            })
            .collect();
        assert_eq!(parsed, expected, "{ftl}");
    }

    #[test]
    fn arguments_are_found_in_text_selectors_variants_calls_and_referenced_messages() {
        check("plain = Hello\n", &[("plain", &[])]);
        check("one = Hi { $name }, { $name }!\n", &[("one", &["name"])]);
        check(
            "sel = { $left ->\n    [one] { $left } card by { $who }\n   *[other] { $left } cards\n}\n",
            &[("sel", &["left", "who"])],
        );
        check(
            "num = { NUMBER($count, minimumFractionDigits: 2) }\n",
            &[("num", &["count"])],
        );
        check(
            "inner = { $a }\nouter = { inner } and { $b }\nloop-a = { loop-b }\nloop-b = { loop-a } { $c }\n",
            &[
                ("inner", &["a"]),
                ("outer", &["a", "b"]),
                ("loop-a", &["c"]),
                ("loop-b", &["c"]),
            ],
        );
        check(
            "-term = { $x }\nuses = { -term(x: \"lit\") } { $y }\n",
            &[("uses", &["y"])],
        );
        check("attrs-only =\n    .label = Label\n", &[]);
    }

    #[test]
    fn syntax_errors_and_duplicates_are_refused() {
        let error = parse(
            Locale::Vi,
            "vi/test.ftl",
            "good = Fine\nbad = { ! }\nlater = Fine\n",
        )
        .expect_err("broken");
        assert!(
            matches!(&error, I18nError::Syntax { locale: Locale::Vi, errors, .. } if errors.starts_with("line 2:")),
            "{error:?}"
        );
        let error =
            parse(Locale::Ko, "ko/test.ftl", "twice = One\ntwice = Two\n").expect_err("duplicate");
        assert!(
            matches!(&error, I18nError::DuplicateMessage { locale: Locale::Ko, key } if key == "twice"),
            "{error:?}"
        );
    }
}
