// The frame around every page: header (app, open project, theme), navigation built from the page
// registry, the page itself, and the status bar.
import { Alert, AppShell, Burger, Center, Group, Loader, NavLink, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDna2, IconLock } from '@tabler/icons-react';
import { Suspense, useEffect } from 'react';
import { pages } from '../pages/registry';
import { useProject } from '../project/context';
import { ErrorBoundary } from './ErrorBoundary';
import { StatusBar } from './StatusBar';
import { ThemeToggle } from './ThemeToggle';
import { useHashPage } from './use-hash-page';

export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const { project } = useProject();
  const [pageId, go] = useHashPage();
  const page = pages.find((p) => p.id === pageId && (!p.needsProject || project)) ?? pages[0];

  useEffect(() => {
    document.title = project ? `${project.name} – Loci` : 'Loci';
  }, [project]);

  if (!page) return null; // unreachable: the registry always has Projects
  const PageComponent = page.component;
  return (
    <AppShell
      header={{ height: 52 }}
      footer={{ height: 30 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <IconDna2 size={24} aria-hidden color="var(--mantine-primary-color-filled)" />
            <Title order={1} size="h4">
              Loci
            </Title>
            <Text c="dimmed" aria-hidden>
              /
            </Text>
            {project ? (
              <Tooltip label={project.path}>
                <Text fw={500} truncate data-testid="open-project-name">
                  {project.name}
                </Text>
              </Tooltip>
            ) : (
              <Text c="dimmed" truncate>
                No project open
              </Text>
            )}
          </Group>
          <ThemeToggle />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" aria-label="Pages">
        {pages.map((p) => {
          const disabled = p.needsProject && !project;
          return (
            <NavLink
              key={p.id}
              href={`#/${p.id}`}
              label={p.label}
              description={disabled ? 'Open a project first' : undefined}
              leftSection={<p.icon size={18} aria-hidden />}
              active={p.id === page.id}
              aria-current={p.id === page.id ? 'page' : undefined}
              disabled={disabled}
              onClick={(e) => {
                e.preventDefault();
                go(p.id);
                close();
              }}
            />
          );
        })}
      </AppShell.Navbar>

      <AppShell.Main>
        {project?.readOnly && (
          // Every page of a read-only project says so once, before any button that would write.
          <Alert color="yellow" icon={<IconLock size={18} aria-hidden />} title="This project is read-only" mb="md" role="status" data-testid="read-only-banner">
            Loci may not write this file ({project.readOnlyReason ?? 'no write permission'}). You can look at everything; changes (imports, datasets, runs, renames) are refused. To change it, copy
            the .loci file to a folder you can write to and open the copy.
          </Alert>
        )}
        <ErrorBoundary resetKey={page.id}>
          <Suspense
            fallback={
              <Center h={200}>
                <Loader aria-label="Loading page" />
              </Center>
            }
          >
            <PageComponent />
          </Suspense>
        </ErrorBoundary>
      </AppShell.Main>

      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
    </AppShell>
  );
}
