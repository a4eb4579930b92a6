/** A hart stopped on a guest page this node cannot use as asked (the page exit, seen by the agent's main thread). */
export type PageAccess = 'read' | 'write' | 'fetch';
export interface PageFault { hart: number; gpa: number; access: PageAccess }
