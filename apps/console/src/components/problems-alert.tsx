import { Alert, Stack, Text } from '@mantine/core';
import { errorMessages } from '../desk/upload.js';

/** What the API found wrong with a request, one problem a line as it names them (`rules.3.phrases.0: ...`); nothing without an error. */
export function ProblemsAlert({ error, title }: { error: unknown; title: string }) {
  if (!error) return null;
  return (
    <Alert color="red" title={title} mt="xs" role="alert">
      <Stack gap={2}>
        {errorMessages(error).map((p) => (
          <Text key={p} size="sm" ff="monospace">
            {p}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
