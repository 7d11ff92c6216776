// Train: fine-tune a model on a dataset of the open project. The runs list (with side-by-side
// comparison), the training wizard, and each run's live dashboard. All the work happens in a job
// process on the Node side; this page only sends commands and listens to events.
import { Anchor, Card, Stack, Title } from '@mantine/core';
import { IconFolders } from '@tabler/icons-react';
import { useProject } from '../../project/context';
import { EmptyState } from '../data/EmptyState';
import { Compare } from './Compare';
import { RunDashboard } from './dashboard/RunDashboard';
import { useTrainRoute } from './route';
import { RunsList } from './RunsList';
import { TrainWizard } from './wizard/TrainWizard';

export default function TrainPage() {
  const { project } = useProject();
  const [route, go] = useTrainRoute();
  if (!project) {
    return (
      <Stack gap="lg" maw={1200}>
        <Title order={2}>Train</Title>
        <Card withBorder padding="xl" maw={640}>
          <EmptyState icon={IconFolders} title="No project open">
            Training runs live in a project, next to the datasets and models they use. <Anchor href="#/projects">Open or create a project</Anchor> first.
          </EmptyState>
        </Card>
      </Stack>
    );
  }
  const path = project.path;
  switch (route.view) {
    case 'new':
      return <TrainWizard key={`${path} ${route.datasetId ?? ''}`} project={path} datasetId={route.datasetId} onStarted={(run) => go({ view: 'run', runId: run.id })} onCancel={() => go({ view: 'runs' })} />;
    case 'run':
      return <RunDashboard key={`${path} ${route.runId}`} project={path} runId={route.runId} />;
    case 'compare':
      return <Compare key={`${path} ${route.runIds.join()}`} project={path} runIds={route.runIds} />;
    default:
      return <RunsList key={path} project={path} />;
  }
}
