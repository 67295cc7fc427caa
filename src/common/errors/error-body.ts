export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string | string[];
  correlationId?: string;
}
